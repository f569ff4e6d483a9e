/** HMC administrators: people (create, disable, re-role) and units with their join codes. */
import type { Request, Response } from 'express';
import type { Knex } from 'knex';
import { accountPaths, type AccountService } from '../auth/account-service';
import { hashPassword } from '../auth/passwords';
import type { Permission } from '../auth/types';
import type { UsersRepository } from '../auth/users-repository';
import { conflict, notFound } from '../http/errors';
import { paths } from '../http/paths';
import { idParam, parseForm, type FieldErrors } from '../http/validation';
import type { JobRolesRepository } from '../organisations/job-roles-repository';
import { displayJoinCode, type OrganisationsRepository } from '../organisations/organisations-repository';
import { newPersonSchema, personSchema, type PersonForm } from './admin-validation';
import type { PeopleRepository } from './people-repository';

/** Turns the form's checkboxes and scope selects into permissions. */
export function permissionsFromForm(form: PersonForm): Permission[] {
  const result: Permission[] = [];
  for (const kind of ['learner', 'educator', 'admin'] as const)
    if (form[kind]) result.push({ kind, organisationId: null, unitId: null });
  const [mKind, mId] = form.managerScope.split(':');
  if (mKind === 'org') result.push({ kind: 'manager', organisationId: Number(mId), unitId: null });
  if (mKind === 'unit') result.push({ kind: 'manager', organisationId: null, unitId: Number(mId) });
  const [, bId] = form.bookerScope.split(':');
  if (bId) result.push({ kind: 'booker', organisationId: Number(bId), unitId: null });
  return result;
}

function formValues(
  person: { name: string; email: string; unitId: number | null; jobRole: string | null },
  permissions: Permission[],
): Record<string, string | boolean> {
  const manager = permissions.find((p) => p.kind === 'manager');
  const booker = permissions.find((p) => p.kind === 'booker');
  return {
    name: person.name,
    email: person.email,
    unitId: person.unitId ? String(person.unitId) : '',
    jobRole: person.jobRole ?? '',
    learner: permissions.some((p) => p.kind === 'learner'),
    educator: permissions.some((p) => p.kind === 'educator'),
    admin: permissions.some((p) => p.kind === 'admin'),
    managerScope: manager
      ? manager.unitId
        ? `unit:${manager.unitId}`
        : `org:${manager.organisationId}`
      : '',
    bookerScope: booker ? `org:${booker.organisationId}` : '',
  };
}

export function adminController(deps: {
  db: Knex;
  people: PeopleRepository;
  users: UsersRepository;
  organisations: OrganisationsRepository;
  jobRoles: JobRolesRepository;
  account: AccountService;
}) {
  const { db, people, users, organisations, jobRoles, account } = deps;

  async function formData() {
    const [units, roles, orgs] = await Promise.all([
      organisations.listUnits(),
      jobRoles.list(),
      db('organisations').orderBy('name').select('id', 'name'),
    ]);
    return { units, jobRoles: roles, organisations: orgs };
  }

  async function renderPerson(
    req: Request,
    res: Response,
    status: number,
    personId: number | null,
    values: Record<string, unknown>,
    errors: FieldErrors,
    disabled = false,
  ) {
    res.status(status).render('admin/person', {
      title: req.t(personId ? 'admin:person.editTitle' : 'admin:person.newTitle'),
      personId,
      values,
      errors,
      disabled,
      resetPath: personId ? accountPaths.adminSendReset(personId) : null,
      ...(await formData()),
    });
  }

  async function checkScopes(form: PersonForm): Promise<FieldErrors> {
    const errors: FieldErrors = {};
    if (form.unitId && !(await organisations.findUnit(form.unitId))) errors.unitId = 'admin:errors.scope';
    if (form.jobRole && !(await jobRoles.exists(form.jobRole)))
      errors.jobRole = 'auth:errors.jobRoleRequired';
    for (const [field, value] of [
      ['managerScope', form.managerScope],
      ['bookerScope', form.bookerScope],
    ] as const) {
      const [kind, id] = value.split(':');
      if (
        kind === 'org' &&
        !(await db('organisations')
          .where({ id: Number(id) })
          .first('id'))
      )
        errors[field] = 'admin:errors.scope';
      if (kind === 'unit' && !(await organisations.findUnit(Number(id))))
        errors[field] = 'admin:errors.scope';
    }
    return errors;
  }

  return {
    async people(req: Request, res: Response) {
      const query = typeof req.query.q === 'string' ? req.query.q.trim().slice(0, 100) : '';
      res.render('admin/people', {
        title: req.t('admin:people.title'),
        query,
        people: await people.search(query),
        jobRoles: await jobRoles.list(),
      });
    },

    async newPerson(req: Request, res: Response) {
      await renderPerson(req, res, 200, null, { learner: true }, {});
    },

    async createPerson(req: Request, res: Response) {
      const form = parseForm(newPersonSchema, req.body);
      if (!form.ok) return renderPerson(req, res, 400, null, req.body ?? {}, form.errors);
      const errors = await checkScopes(form.data);
      if (await users.emailTaken(form.data.email)) errors.email = 'auth:errors.emailTaken';
      if (Object.keys(errors).length)
        return renderPerson(req, res, errors.email ? 409 : 400, null, req.body, errors);
      try {
        const id = await users.create({
          email: form.data.email,
          name: form.data.name,
          passwordHash: await hashPassword(form.data.password),
          unitId: form.data.unitId,
          jobRole: form.data.jobRole,
          permissions: permissionsFromForm(form.data),
        });
        await people.log(req.user!.id, 'person.create', `user:${id}`);
        res.redirect(303, `${paths.adminPerson(id)}?sparad=1`);
      } catch (error) {
        if ((error as { code?: string }).code !== '23505') throw error;
        await renderPerson(req, res, 409, null, req.body, { email: 'auth:errors.emailTaken' });
      }
    },

    async person(req: Request, res: Response) {
      const id = idParam(req.params.id);
      const person = id ? await people.find(id) : null;
      if (!person) throw notFound('admin:errors.personNotFound');
      await renderPerson(
        req,
        res,
        200,
        person.id,
        {
          ...formValues(person, await users.permissionsOf(person.id)),
          saved: req.query.sparad === '1',
          resetSent: req.query.aterstallning === '1',
          emailUnverified: !(await account.isVerified(person.id)),
        },
        {},
        !!person.disabledAt,
      );
    },

    async updatePerson(req: Request, res: Response) {
      const id = idParam(req.params.id);
      const person = id ? await people.find(id) : null;
      if (!person) throw notFound('admin:errors.personNotFound');
      const form = parseForm(personSchema, req.body);
      if (!form.ok)
        return renderPerson(req, res, 400, person.id, req.body ?? {}, form.errors, !!person.disabledAt);
      const errors = await checkScopes(form.data);
      const other = await db('users')
        .whereRaw('lower(email) = lower(?)', [form.data.email])
        .whereNot({ id: person.id })
        .first('id');
      if (other) errors.email = 'auth:errors.emailTaken';
      if (Object.keys(errors).length)
        return renderPerson(
          req,
          res,
          errors.email ? 409 : 400,
          person.id,
          req.body,
          errors,
          !!person.disabledAt,
        );
      await people.update(
        req.user!.id,
        person.id,
        {
          name: form.data.name,
          email: form.data.email,
          unitId: form.data.unitId,
          jobRole: form.data.jobRole,
        },
        permissionsFromForm(form.data),
      );
      res.redirect(303, `${paths.adminPerson(person.id)}?sparad=1`);
    },

    async setDisabled(req: Request, res: Response) {
      const id = idParam(req.params.id);
      const person = id ? await people.find(id) : null;
      if (!person) throw notFound('admin:errors.personNotFound');
      await people.setDisabled(req.user!.id, person.id, req.body?.disabled === 'true');
      res.redirect(303, `${paths.adminPerson(person.id)}?sparad=1`);
    },

    /** Mails the person a reset link (they choose the new password themselves; the administrator never sees it). */
    async sendReset(req: Request, res: Response) {
      const id = idParam(req.params.id);
      const person = id ? await people.find(id) : null;
      if (!person) throw notFound('admin:errors.personNotFound');
      if (!(await account.sendResetByAdmin(person.id))) throw conflict('admin:errors.personDisabled');
      await people.log(req.user!.id, 'person.passwordResetMail', `user:${person.id}`);
      res.redirect(303, `${paths.adminPerson(person.id)}?aterstallning=1`);
    },

    async feedback(req: Request, res: Response) {
      const items = await db('accessibility_feedback as f')
        .leftJoin('users as u', 'u.id', 'f.handled_by')
        .orderBy([
          { column: 'f.handled_at', order: 'desc', nulls: 'first' },
          { column: 'f.id', order: 'desc' },
        ])
        .limit(200)
        .select('f.*', 'u.name as handled_by_name');
      res.render('admin/feedback', { title: req.t('admin:feedback.title'), items });
    },

    async handleFeedback(req: Request, res: Response) {
      const id = idParam(String(req.body?.id ?? ''));
      if (!id) throw notFound();
      await db('accessibility_feedback')
        .where({ id })
        .whereNull('handled_at')
        .update({ handled_at: db.fn.now(), handled_by: req.user!.id });
      res.redirect(303, paths.adminFeedback);
    },

    async units(req: Request, res: Response) {
      const units = await organisations.listUnits();
      res.render('admin/units', {
        title: req.t('admin:units.title'),
        units: units.map((u) => ({ ...u, code: displayJoinCode(u.joinCode) })),
      });
    },

    async unitCode(req: Request, res: Response) {
      const id = idParam(req.params.id);
      const unit = id ? await organisations.findUnit(id) : null;
      if (!unit) throw notFound();
      if (req.body?.action === 'disable') await organisations.setJoinCodeEnabled(unit.id, false);
      else await organisations.regenerateJoinCode(unit.id);
      await people.log(
        req.user!.id,
        `unit.joinCode.${req.body?.action === 'disable' ? 'disable' : 'renew'}`,
        `unit:${unit.id}`,
      );
      res.redirect(303, paths.adminUnits);
    },
  };
}
