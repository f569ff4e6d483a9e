/** Statistics pages: thin handlers that parse filters, call the service and render or send an export. */
import type { Request, Response } from 'express';
import { signedInUser } from '../auth/policy';
import { hasPermission } from '../auth/types';
import { badRequest, forbidden, notFound } from '../http/errors';
import { paths } from '../http/paths';
import { idParam, parseForm } from '../http/validation';
import { formatDate } from '../i18n/i18n';
import type { BookingsService } from '../bookings/bookings-service';
import type { OrganisationsService } from '../organisations/organisations-service';
import type { ManagerRemindersService } from '../reminders/manager-reminders';
import { toCsv, toXlsx } from './stats-export';
import { parseHmcFilters, parseManagerFilters, summarySchema } from './stats-validation';
import { formatters } from './format';
import { tableRowsHtml } from './table-html';
import type { DataTable } from './types';
import { classroomTable } from './classroom-stats';
import type { StatsService } from './stats-service';

const FORMATS = ['csv', 'xlsx'] as const;
type Format = (typeof FORMATS)[number];

function formatOf(req: Request): Format {
  const f = req.params.format;
  if (!FORMATS.includes(f as Format)) throw notFound();
  return f as Format;
}

function sendExport(
  req: Request,
  res: Response,
  format: Format,
  name: string,
  title: string,
  tables: DataTable[],
) {
  const stamp = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date());
  const filename = `${name}-${stamp}.${format}`;
  res.set('Content-Disposition', `attachment; filename="${filename}"`);
  res.set('Cache-Control', 'no-store');
  if (format === 'csv') {
    res.type('text/csv; charset=utf-8').send(toCsv(tables, req.lng));
  } else {
    res
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .send(toXlsx(tables, { title }));
  }
}

/** The query string of the current filters, for export links and the person list. */
const queryOf = (req: Request) => {
  const i = req.originalUrl.indexOf('?');
  return i >= 0 ? req.originalUrl.slice(i) : '';
};

/** What every filtered HMC page renders besides its figures: the filters, the typed values and errors. */
function filterPageLocals(req: Request, parsed: ReturnType<typeof parseHmcFilters>) {
  return {
    filters: parsed.filters,
    values: parsed.ok ? parsed.filters : req.query,
    errors: parsed.ok ? {} : parsed.errors,
    query: parsed.ok ? queryOf(req) : '',
    fmt: formatters(req.lng),
    tableRowsHtml,
  };
}

/** What the statistics pages use: the statistics, reminders, job role names and booked trainings. */
export interface StatsDeps {
  statsService: StatsService;
  managerReminders: ManagerRemindersService;
  organisationsService: Pick<OrganisationsService, 'listJobRoles'>;
  bookings: Pick<BookingsService, 'upcomingForPeople'>;
}

export function statsController(deps: StatsDeps) {
  const { statsService } = deps;
  const lang = (req: Request) => ({ t: req.t, lng: req.lng });

  return {
    /** /statistik: the dashboard this person may see. */
    index(req: Request, res: Response) {
      if (hasPermission(req.user, 'manager')) {
        res.redirect(paths.statsManager);
        return;
      }
      if (hasPermission(req.user, 'educator') || hasPermission(req.user, 'admin')) {
        res.redirect(paths.statsHmc);
        return;
      }
      throw forbidden();
    },

    async manager(req: Request, res: Response) {
      const parsed = parseManagerFilters(req.query);
      // The scope, units, roles and course titles are read once for the filters and the figures.
      const context = await statsService.managerContext(signedInUser(req), req.lng);
      const options = await statsService.managerOptions(signedInUser(req), req.lng, context);
      const errors = parsed.ok ? {} : parsed.errors;
      const filters = parsed.filters;
      const dashboard = await statsService.managerDashboard(
        signedInUser(req),
        parsed.ok ? filters : { ...filters, unitId: null, jobRole: null, courseId: null },
        lang(req),
        { forExport: false, context },
      );
      res.status(parsed.ok ? 200 : 400).render('stats/manager', {
        title: req.t('stats:manager.title'),
        options,
        filters,
        values: parsed.ok ? filters : req.query,
        errors,
        dashboard,
        query: parsed.ok ? queryOf(req) : '',
        subscribed: await statsService.subscribed(signedInUser(req).id),
        summarySaved: req.query.sammanfattning === '1',
        reminded:
          idParam(req.query.paminda) !== null || req.query.paminda === '0'
            ? { sent: Number(req.query.paminda), recent: idParam(req.query.hoppade) ?? 0 }
            : null,
        fmt: formatters(req.lng),
        tableRowsHtml,
      });
    },

    async managerExport(req: Request, res: Response) {
      const format = formatOf(req);
      const parsed = parseManagerFilters(req.query);
      if (!parsed.ok) throw badRequest('stats:errors.badFilters');
      // The people list first: it is what managers open the file for.
      const d = await statsService.managerDashboard(signedInUser(req), parsed.filters, lang(req), {
        forExport: true,
      });
      sendExport(req, res, format, 'utbildningsstatus', req.t('stats:manager.title'), [
        d.tables.lacking,
        d.tables.byCourse,
        d.tables.byUnit,
        d.tables.staff,
      ]);
    },

    /**
     * Sends a reminder to one person about one course, or to everyone in the list shown (the filters ride
     * along in the form): at most once a week per person and course; a refused single reminder says when.
     */
    async remind(req: Request, res: Response) {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const filters = new URLSearchParams(
        typeof body.filters === 'string' ? body.filters.replace(/^\?/, '') : '',
      );
      filters.delete('paminda');
      filters.delete('hoppade');
      const backTo = (extra: Record<string, string>) => {
        const q = new URLSearchParams(filters);
        for (const [k, v] of Object.entries(extra)) q.set(k, v);
        return `${paths.statsManager}?${q}`;
      };
      if (body.all === 'ja') {
        const parsed = parseManagerFilters(Object.fromEntries(filters));
        if (!parsed.ok) throw badRequest('stats:errors.badFilters');
        const d = await statsService.managerDashboard(signedInUser(req), parsed.filters, lang(req), {
          forExport: false,
        });
        const r = await deps.managerReminders.remindAll(signedInUser(req), d.figures.lacking);
        res.redirect(303, `${backTo({ paminda: String(r.sent), hoppade: String(r.recent) })}#lacking`);
        return;
      }
      const person = idParam(body.person);
      const course = idParam(body.course);
      if (!person || !course) throw badRequest();
      const r = await deps.managerReminders.remindOne(signedInUser(req), person, course);
      if (r.kind === 'sent') {
        res.redirect(303, `${backTo({ paminda: '1' })}#lacking`);
        return;
      }
      const message =
        r.kind === 'recent'
          ? req.t('stats:remind.recent', {
              name: r.name,
              course: r.course,
              date: formatDate(r.lastSentAt, req.lng),
              next: formatDate(r.nextAt, req.lng),
            })
          : req.t('stats:remind.notLacking', { name: r.name, course: r.course });
      res.status(409).render('stats/remind-refused', {
        title: req.t('stats:remind.refusedTitle'),
        message,
        back: backTo({}),
      });
    },

    async saveSummary(req: Request, res: Response) {
      const form = parseForm(summarySchema, req.body);
      if (!form.ok) throw badRequest('stats:errors.invalidChoice');
      await statsService.scopeOf(signedInUser(req));
      await statsService.setSubscribed(signedInUser(req).id, form.data.monthly === 'on');
      res.redirect(303, `${paths.statsManager}?sammanfattning=1`);
    },

    async person(req: Request, res: Response) {
      const id = idParam(req.params.id);
      if (id === null) throw notFound('stats:errors.personNotFound');
      const record = await statsService.personRecord(signedInUser(req), id);
      const [roles, booked] = await Promise.all([
        deps.organisationsService.listJobRoles(),
        deps.bookings.upcomingForPeople([id]),
      ]);
      res.render('stats/person', {
        title: record.person.name,
        record,
        booked,
        roleName: roles.find((r) => r.id === record.person.jobRole)?.name[req.lng] ?? '',
        fmt: formatters(req.lng),
        tableRowsHtml,
      });
    },

    async hmc(req: Request, res: Response) {
      const parsed = parseHmcFilters(req.query);
      const filters = parsed.ok
        ? parsed.filters
        : { ...parsed.filters, organisationId: null, courseId: null };
      const overview = await statsService.hmcOverview(filters, lang(req));
      res.status(parsed.ok ? 200 : 400).render('stats/hmc', {
        title: req.t('stats:hmc.title'),
        overview,
        classroom: classroomTable(await statsService.classroomByOrganisation(filters), req.t),
        courses: overview.courses,
        ...filterPageLocals(req, parsed),
      });
    },

    async hmcExport(req: Request, res: Response) {
      const format = formatOf(req);
      const parsed = parseHmcFilters(req.query);
      if (!parsed.ok) throw badRequest('stats:errors.badFilters');
      const o = await statsService.hmcOverview(parsed.filters, lang(req));
      const classroom = classroomTable(await statsService.classroomByOrganisation(parsed.filters), req.t);
      sendExport(req, res, format, 'kursstatistik', req.t('stats:hmc.title'), [
        o.tables.courses,
        o.tables.years,
        classroom,
      ]);
    },

    async hmcCourse(req: Request, res: Response) {
      const parsed = parseHmcFilters(req.query);
      const course = await statsService.hmcCourse(
        String(req.params.slug),
        parsed.ok ? parsed.filters : { ...parsed.filters, organisationId: null },
        lang(req),
      );
      res.status(parsed.ok ? 200 : 400).render('stats/course', {
        title: course.version.content.title.standard,
        course,
        ...filterPageLocals(req, parsed),
      });
    },

    async hmcCourseExport(req: Request, res: Response) {
      const format = formatOf(req);
      const parsed = parseHmcFilters(req.query);
      if (!parsed.ok) throw badRequest('stats:errors.badFilters');
      const c = await statsService.hmcCourse(String(req.params.slug), parsed.filters, lang(req));
      const tb = c.tables;
      sendExport(
        req,
        res,
        format,
        `kursstatistik-${c.version.content.slug}`,
        c.version.content.title.standard,
        [
          tb.byOrganisation,
          tb.byMonth,
          tb.byYear,
          tb.quiz,
          tb.evaluations,
          tb.questions,
          tb.lessons,
          tb.comments,
        ],
      );
    },
  };
}
