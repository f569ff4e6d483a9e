/** HMC administrators: an identity provider per organisation, tried before it is turned on. */
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { Knex } from 'knex';
import { notFound } from '../http/errors';
import { formString, idParam, parseForm, type FieldErrors } from '../http/validation';
import { identityPaths } from './identity-controller';
import type { IdentityProvider, ProviderInput, ProvidersRepository } from './providers-repository';

export const providerAdminPaths = {
  list: '/admin/inloggning',
  provider: (id: number | string = ':id') => `/admin/inloggning/${id}`,
  status: (id: number | string = ':id') => `/admin/inloggning/${id}/status`,
};

const optional = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null),
  z.string().max(100_000).nullable(),
);
const url = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null),
  z
    .string()
    .url('identity:admin.errors.url')
    .refine((u) => /^https?:\/\//.test(u), 'identity:admin.errors.url')
    .nullable(),
);
const claim = (fallback: string | null) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : fallback),
    z.string().max(200).nullable(),
  );

export const providerSchema = z
  .object({
    organisationId: z.preprocess(
      (v) => idParam(v),
      z.number({ error: 'identity:admin.errors.organisation' }),
    ),
    kind: z.enum(['oidc', 'saml'], { error: 'identity:admin.errors.kind' }),
    displayName: formString('identity:admin.errors.displayName').pipe(z.string().max(200)),
    issuer: formString('identity:admin.errors.issuer').pipe(z.string().max(2000)),
    metadataUrl: url,
    ssoUrl: url,
    logoutUrl: url,
    clientId: optional,
    clientSecret: optional,
    idpCertificate: optional,
    metadataXml: optional,
    claimEmail: claim('email'),
    claimName: claim('name'),
    claimUnit: claim(null),
    claimJobRole: claim(null),
    emailDomains: z.preprocess(
      (v) =>
        typeof v === 'string'
          ? v
              .split(/[\s,;]+/)
              .map((d) => d.trim().replace(/^@/, '').toLowerCase())
              .filter(Boolean)
          : [],
      z.array(z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, 'identity:admin.errors.domain')),
    ),
  })
  .superRefine((f, ctx) => {
    if (f.kind === 'oidc' && !f.clientId)
      ctx.addIssue({ code: 'custom', path: ['clientId'], message: 'identity:admin.errors.clientId' });
    if (f.kind === 'saml' && !f.ssoUrl)
      ctx.addIssue({ code: 'custom', path: ['ssoUrl'], message: 'identity:admin.errors.ssoUrl' });
    if (f.kind === 'saml' && !f.idpCertificate)
      ctx.addIssue({
        code: 'custom',
        path: ['idpCertificate'],
        message: 'identity:admin.errors.certificate',
      });
  });

type ProviderForm = z.output<typeof providerSchema>;

const toInput = (f: ProviderForm): ProviderInput => ({
  organisationId: f.organisationId,
  kind: f.kind,
  displayName: f.displayName,
  issuer: f.issuer,
  metadataUrl: f.metadataUrl,
  metadataXml: f.metadataXml,
  ssoUrl: f.ssoUrl,
  logoutUrl: f.logoutUrl,
  clientId: f.clientId,
  clientSecret: f.clientSecret,
  idpCertificate: f.idpCertificate,
  claims: {
    email: f.claimEmail ?? 'email',
    name: f.claimName ?? 'name',
    unit: f.claimUnit,
    jobRole: f.claimJobRole,
  },
  emailDomains: f.emailDomains,
});

/** The form's values for a stored provider; the secret is never sent back, only whether one is stored. */
const valuesOf = (p: IdentityProvider): Record<string, string> => ({
  organisationId: String(p.organisationId),
  kind: p.kind,
  displayName: p.displayName,
  issuer: p.issuer,
  metadataUrl: p.metadataUrl ?? '',
  ssoUrl: p.ssoUrl ?? '',
  logoutUrl: p.logoutUrl ?? '',
  clientId: p.clientId ?? '',
  idpCertificate: p.idpCertificate ?? '',
  metadataXml: p.metadataXml ?? '',
  claimEmail: p.claims.email,
  claimName: p.claims.name,
  claimUnit: p.claims.unit ?? '',
  claimJobRole: p.claims.jobRole ?? '',
  emailDomains: p.emailDomains.join(', '),
});

const formValues = (body: Record<string, unknown> | undefined): Record<string, string> =>
  Object.fromEntries(
    Object.entries(body ?? {}).filter(
      ([k, v]) => typeof v === 'string' && k !== '_csrf' && k !== 'clientSecret',
    ),
  ) as Record<string, string>;

export function providerAdmin(deps: { db: Knex; providers: ProvidersRepository; publicBaseUrl: string }) {
  const { db, providers } = deps;

  async function render(
    req: Request,
    res: Response,
    status: number,
    provider: IdentityProvider | null,
    values: Record<string, string>,
    errors: FieldErrors = {},
  ) {
    res.status(status).render('identity/admin-provider', {
      title: req.t(provider ? 'identity:admin.editTitle' : 'identity:admin.newTitle'),
      provider,
      values,
      errors,
      organisations: await db('organisations').orderBy('name').select('id', 'name'),
      tryPath: provider ? `${identityPaths.start(provider.id)}?prova=1` : null,
      callbackUrls: provider
        ? {
            oidc: `${deps.publicBaseUrl}${identityPaths.oidcCallback(provider.id)}`,
            saml: `${deps.publicBaseUrl}${identityPaths.samlAcs(provider.id)}`,
          }
        : null,
      spEntityId: `${deps.publicBaseUrl}/sso/saml`,
    });
  }

  async function found(req: Request): Promise<IdentityProvider> {
    const id = idParam(req.params.id);
    const provider = id ? await providers.find(id) : null;
    if (!provider) throw notFound();
    return provider;
  }

  return {
    async list(req: Request, res: Response) {
      if (req.query.ny === '1')
        return render(req, res, 200, null, { kind: 'oidc', claimEmail: 'email', claimName: 'name' });
      res.render('identity/admin-providers', {
        title: req.t('identity:admin.title'),
        providers: await providers.list(),
      });
    },
    async create(req: Request, res: Response) {
      const form = parseForm(providerSchema, req.body);
      if (!form.ok) return render(req, res, 400, null, formValues(req.body), form.errors);
      const id = await providers.create(toInput(form.data), req.user!.id);
      res.redirect(303, providerAdminPaths.provider(id));
    },
    async show(req: Request, res: Response) {
      const provider = await found(req);
      await render(req, res, 200, provider, valuesOf(provider));
    },
    async update(req: Request, res: Response) {
      const provider = await found(req);
      const form = parseForm(providerSchema, req.body);
      if (!form.ok) return render(req, res, 400, provider, formValues(req.body), form.errors);
      await providers.update(provider.id, toInput(form.data), req.user!.id);
      res.redirect(303, providerAdminPaths.provider(provider.id));
    },
    async setEnabled(req: Request, res: Response) {
      const provider = await found(req);
      await providers.setEnabled(provider.id, req.body?.enabled === '1', req.user!.id);
      res.redirect(303, providerAdminPaths.provider(provider.id));
    },
  };
}
