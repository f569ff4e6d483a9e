/** HMC administrators: an identity provider per organisation, tried before it is turned on. */
import type { Request, RequestHandler, Response } from 'express';
import multer from 'multer';
import { z } from 'zod';
import { notFound } from '../http/errors';
import { formString, idParam, parseForm, type FieldErrors } from '../http/validation';
import { signedInUser } from '../auth/policy';
import { formBody, formFields, formText } from '../http/body-parsing';
import type { OrganisationsService } from '../organisations/organisations-service';
import { identityPaths, providerAdminPaths } from './identity-paths';
import type { IdentityProvider, ProviderInput } from './providers-repository';
import type { ProvidersService } from './providers-service';
import { fetchIdpMetadata, MAX_METADATA_BYTES, MetadataError, parseIdpMetadata } from './saml-metadata';

const upload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: MAX_METADATA_BYTES, files: 1, fieldSize: MAX_METADATA_BYTES * 2 },
}).single('metadataFile');

/** The form is multipart (an IdP's metadata file may come with it); an upload error becomes a field error, not a 500. */
export const metadataUpload: RequestHandler = (req, res, next) =>
  upload(req, res, (err: unknown) => {
    if (err)
      res.locals.metadataUploadError =
        err instanceof multer.MulterError && err.code === 'LIMIT_FILE_SIZE'
          ? 'identity:admin.errors.metadata.tooLarge'
          : 'identity:admin.errors.metadata.invalid';
    next();
  });

type Body = Record<string, unknown>;
const filled = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

/**
 * For SAML, settings read from the IdP's metadata (an uploaded file, else pasted XML, else the metadata URL)
 * replace the entity id, SSO and logout addresses and certificates typed in the form.
 */
async function withMetadata(
  body: Body,
  file: Express.Multer.File | undefined,
): Promise<{ body: Body } | { errors: FieldErrors }> {
  if (body.kind !== 'saml') return { body };
  const field = file?.size
    ? 'metadataFile'
    : filled(body.metadataXml)
      ? 'metadataXml'
      : filled(body.metadataUrl)
        ? 'metadataUrl'
        : null;
  if (!field) return { body };
  try {
    const metadata =
      field === 'metadataUrl'
        ? await fetchIdpMetadata(String(body.metadataUrl).trim())
        : (() => {
            const xml =
              field === 'metadataFile'
                ? (file as Express.Multer.File).buffer.toString('utf8')
                : String(body.metadataXml);
            return { ...parseIdpMetadata(xml), xml };
          })();
    return {
      body: {
        ...body,
        issuer: metadata.entityId,
        ssoUrl: metadata.ssoUrl,
        logoutUrl: metadata.logoutUrl ?? body.logoutUrl,
        idpCertificate: metadata.certificates.join('\n'),
        metadataXml: metadata.xml,
      },
    };
  } catch (error) {
    if (error instanceof MetadataError) return { errors: { [field]: error.key } };
    throw error;
  }
}

const optional = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null),
  z.string().max(100_000).nullable(),
);
const url = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null),
  z
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
    metadataXml: z.preprocess(
      (v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null),
      z.string().max(MAX_METADATA_BYTES, 'identity:admin.errors.metadata.tooLarge').nullable(),
    ),
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
  ...formFields(p, [
    'kind',
    'displayName',
    'issuer',
    'metadataUrl',
    'ssoUrl',
    'logoutUrl',
    'clientId',
    'idpCertificate',
    'metadataXml',
  ]),
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

export function providerAdmin(deps: {
  providers: ProvidersService;
  organisations: Pick<OrganisationsService, 'listOrganisations'>;
  publicBaseUrl: string;
}) {
  const { providers, organisations } = deps;

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
      organisations: await organisations.listOrganisations(),
      tryPath: provider ? identityPaths.tryStart(provider.id) : null,
      callbackUrls: provider
        ? {
            oidc: `${deps.publicBaseUrl}${identityPaths.oidcCallback(provider.id)}`,
            saml: `${deps.publicBaseUrl}${identityPaths.samlAcs(provider.id)}`,
            samlLogout: `${deps.publicBaseUrl}${identityPaths.samlLogout(provider.id)}`,
            samlMetadata: `${deps.publicBaseUrl}${identityPaths.samlMetadata(provider.id)}`,
          }
        : null,
      spEntityId: `${deps.publicBaseUrl}${identityPaths.samlEntity}`,
      identityPaths,
      providerAdminPaths,
    });
  }

  /** The posted form with the metadata's settings in it; field errors when the upload or the metadata cannot be used. */
  async function readForm(
    req: Request,
  ): Promise<{ ok: true; body: Body } | { ok: false; errors: FieldErrors }> {
    const uploadError = (req.res?.locals.metadataUploadError as string | undefined) ?? null;
    if (uploadError) return { ok: false, errors: { metadataFile: uploadError } };
    const result = await withMetadata(formBody(req), req.file);
    return 'errors' in result ? { ok: false, errors: result.errors } : { ok: true, body: result.body };
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
        providerAdminPaths,
      });
    },
    async create(req: Request, res: Response) {
      const read = await readForm(req);
      if (!read.ok) return render(req, res, 400, null, formValues(formBody(req)), read.errors);
      const form = parseForm(providerSchema, read.body);
      if (!form.ok) return render(req, res, 400, null, formValues(read.body), form.errors);
      const id = await providers.create(toInput(form.data), signedInUser(req).id);
      res.redirect(303, providerAdminPaths.provider(id));
    },
    async show(req: Request, res: Response) {
      const provider = await found(req);
      await render(req, res, 200, provider, valuesOf(provider));
    },
    async update(req: Request, res: Response) {
      const provider = await found(req);
      const read = await readForm(req);
      if (!read.ok) return render(req, res, 400, provider, formValues(formBody(req)), read.errors);
      const form = parseForm(providerSchema, read.body);
      if (!form.ok) return render(req, res, 400, provider, formValues(read.body), form.errors);
      await providers.update(provider.id, toInput(form.data), signedInUser(req).id);
      res.redirect(303, providerAdminPaths.provider(provider.id));
    },
    async setEnabled(req: Request, res: Response) {
      const provider = await found(req);
      await providers.setEnabled(provider.id, formText(req, 'enabled') === '1', signedInUser(req).id);
      res.redirect(303, providerAdminPaths.provider(provider.id));
    },
  };
}
