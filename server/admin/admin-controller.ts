/** HMC administrators: people (create, disable, re-role) and units with their join codes. */
import type { Request, Response } from 'express';
import { accountPaths } from '../auth/account-service';
import { signedInUser } from '../auth/policy';
import type { Permission } from '../auth/types';
import { formBody, formText } from '../http/body-parsing';
import { conflict, notFound } from '../http/errors';
import { paths } from '../http/paths';
import { idParam, parseForm, type FieldErrors } from '../http/validation';
import { displayJoinCode, type OrganisationsService } from '../organisations/organisations-service';
import { newPersonSchema, personSchema, type PersonForm } from './admin-validation';
import type { PeopleService } from './people-service';

/** The accessibility feedback inbox (the pages feature owns the messages). */
export interface FeedbackInbox {
  list(): Promise<unknown[]>;
  markHandled(id: number, userId: number): Promise<void>;
}

export interface AdminDeps {
  peopleService: PeopleService;
  organisationsService: Pick<
    OrganisationsService,
    'listUnits' | 'findUnit' | 'listJobRoles' | 'jobRoleExists' | 'listOrganisations' | 'organisationExists'
  >;
  feedbackInbox: FeedbackInbox;
}

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

export function adminController(deps: AdminDeps) {
  const { peopleService: people, organisationsService: organisations, feedbackInbox } = deps;

  async function formData() {
    const [units, roles, orgs] = await Promise.all([
      organisations.listUnits(),
      organisations.listJobRoles(),
      organisations.listOrganisations(),
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
    if (form.jobRole && !(await organisations.jobRoleExists(form.jobRole)))
      errors.jobRole = 'auth:errors.jobRoleRequired';
    for (const [field, value] of [
      ['managerScope', form.managerScope],
      ['bookerScope', form.bookerScope],
    ] as const) {
      const [kind, id] = value.split(':');
      if (kind === 'org' && !(await organisations.organisationExists(Number(id))))
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
        jobRoles: await organisations.listJobRoles(),
      });
    },

    async newPerson(req: Request, res: Response) {
      await renderPerson(req, res, 200, null, { learner: true }, {});
    },

    async createPerson(req: Request, res: Response) {
      const form = parseForm(newPersonSchema, req.body);
      if (!form.ok) return renderPerson(req, res, 400, null, formBody(req), form.errors);
      const errors = await checkScopes(form.data);
      if (await people.emailRegistered(form.data.email)) errors.email = 'auth:errors.emailTaken';
      if (Object.keys(errors).length)
        return renderPerson(req, res, errors.email ? 409 : 400, null, formBody(req), errors);
      const id = await people.create(signedInUser(req).id, {
        email: form.data.email,
        name: form.data.name,
        password: form.data.password,
        unitId: form.data.unitId,
        jobRole: form.data.jobRole,
        permissions: permissionsFromForm(form.data),
      });
      if (id === null)
        return renderPerson(req, res, 409, null, formBody(req), { email: 'auth:errors.emailTaken' });
      res.redirect(303, `${paths.adminPerson(id)}?sparad=1`);
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
          ...formValues(person, await people.permissionsOf(person.id)),
          saved: req.query.sparad === '1',
          resetSent: req.query.aterstallning === '1',
          emailUnverified: !(await people.isVerified(person.id)),
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
        return renderPerson(req, res, 400, person.id, formBody(req), form.errors, !!person.disabledAt);
      const errors = await checkScopes(form.data);
      if (await people.emailUsedByOther(form.data.email, person.id)) errors.email = 'auth:errors.emailTaken';
      if (Object.keys(errors).length)
        return renderPerson(
          req,
          res,
          errors.email ? 409 : 400,
          person.id,
          formBody(req),
          errors,
          !!person.disabledAt,
        );
      await people.update(
        signedInUser(req).id,
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
      await people.setDisabled(signedInUser(req).id, person.id, formText(req, 'disabled') === 'true');
      res.redirect(303, `${paths.adminPerson(person.id)}?sparad=1`);
    },

    /** Mails the person a reset link (they choose the new password themselves; the administrator never sees it). */
    async sendReset(req: Request, res: Response) {
      const id = idParam(req.params.id);
      const person = id ? await people.find(id) : null;
      if (!person) throw notFound('admin:errors.personNotFound');
      if (!(await people.sendReset(signedInUser(req).id, person.id)))
        throw conflict('admin:errors.personDisabled');
      res.redirect(303, `${paths.adminPerson(person.id)}?aterstallning=1`);
    },

    async feedback(req: Request, res: Response) {
      const items = await feedbackInbox.list();
      res.render('admin/feedback', { title: req.t('admin:feedback.title'), items });
    },

    async handleFeedback(req: Request, res: Response) {
      const id = idParam(formText(req, 'id'));
      if (!id) throw notFound();
      await feedbackInbox.markHandled(id, signedInUser(req).id);
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
      await people.changeJoinCode(
        signedInUser(req).id,
        unit.id,
        formText(req, 'action') === 'disable' ? 'disable' : 'renew',
      );
      res.redirect(303, paths.adminUnits);
    },
  };
}
