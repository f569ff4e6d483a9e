/** Signing in through an organisation's provider: finding it, the redirect, the answer, and the steps after. */
import type { NextFunction, Request, Response } from 'express';
import type { AuditEntry, AuditService } from '../audit/audit-service';
import { landingPath } from '../auth/landing';
import { endSession, logIn, settled } from '../auth/session-steps';
import { hasPermission, type CurrentUser } from '../auth/types';
import { formBody, formText } from '../http/body-parsing';
import { paths } from '../http/paths';
import { idParam } from '../http/validation';
import type { OrganisationsService } from '../organisations/organisations-service';
import type { Logger } from '../logger';
import type { OidcClient } from './oidc-client';
import type { IdentityProvider, ProvidersRepository } from './providers-repository';
import type { SamlClient } from './saml-client';
import { SsoError } from './sso-errors';
import { identityPaths, providerAdminPaths } from './identity-paths';
import { personFromClaims, type SsoService } from './sso-service';
import type { ExternalPerson, SignedInWith } from './sso-session';

export function identityController(deps: {
  providers: ProvidersRepository;
  sso: SsoService;
  oidc: OidcClient;
  saml: SamlClient;
  audit: AuditService;
  organisations: Pick<OrganisationsService, 'listJobRoles' | 'jobRoleExists'>;
  logger: Logger;
  config: { publicBaseUrl: string };
}) {
  const { providers, sso, oidc, saml, audit, organisations, logger } = deps;

  /** An event about a provider in the audit log (`idp:unknown` when the request named no provider we know). */
  const recordProviderEvent = (
    actorId: number | null,
    action: string,
    providerId: number | null,
    details: AuditEntry['details'],
  ) => audit.record({ actorId, action, subject: `idp:${providerId ?? 'unknown'}`, details });

  /** Every refusal: logged, in the audit log, a Swedish page with status 400; never a 500 and never a login. */
  async function refuse(req: Request, res: Response, error: unknown, providerId: number | null) {
    if (!(error instanceof SsoError)) throw error;
    logger.warn('sso refused', {
      reason: error.reason,
      providerId,
      detail:
        error.detail instanceof Error
          ? [error.detail.message, error.detail.cause instanceof Error ? error.detail.cause.message : '']
              .filter(Boolean)
              .join(': ')
          : undefined,
    });
    await recordProviderEvent(null, 'sso.refused', providerId, { reason: error.reason });
    if (req.session.sso) delete req.session.sso.oidc;
    res.status(400).render('identity/error', {
      title: req.t('identity:error.title'),
      reason: error.reason,
      message: req.t(`identity:error.${error.reason}`),
    });
  }

  async function providerFor(req: Request, test: boolean): Promise<IdentityProvider> {
    const id = idParam(req.params.id);
    const provider = id ? await providers.find(id) : null;
    if (!provider) throw new SsoError('unknownProvider');
    // Trying a provider before it is turned on is for administrators only.
    if (!provider.enabled && !(test && hasPermission(req.user, 'admin')))
      throw new SsoError('unknownProvider');
    return provider;
  }

  /** After the provider vouched: sign in, show the try result, or ask for what is missing. */
  async function finish(
    req: Request,
    res: Response,
    provider: IdentityProvider,
    person: ExternalPerson,
    test: boolean,
    signedInWith: SignedInWith,
  ) {
    if (test) {
      await recordProviderEvent(req.user?.id ?? null, 'idp.try', provider.id, { email: person.email });
      res.render('identity/tried', {
        title: req.t('identity:tried.title'),
        provider,
        person,
        jobRoles: await organisations.listJobRoles(),
        providerAdminPaths,
      });
      return;
    }
    const result = await sso.signIn(provider, person);
    if (result.kind === 'user') {
      await signIn(req, res, result.user, signedInWith);
      return;
    }
    req.session.sso = { pending: { ...person, step: result.kind }, signedInWith };
    res.redirect(303, result.kind === 'link' ? identityPaths.link : identityPaths.complete);
  }

  async function signIn(
    req: Request,
    res: Response,
    user: CurrentUser,
    signedInWith: SignedInWith | undefined,
  ) {
    await logIn(req, user); // passport regenerates the session
    req.session.sso = signedInWith ? { signedInWith } : {};
    res.redirect(303, landingPath(user));
  }

  async function pending(req: Request, step: 'complete' | 'link') {
    const p = req.session.sso?.pending;
    if (!p || p.step !== step) return null;
    const provider = await providers.find(p.providerId);
    return provider && provider.enabled ? { person: p, provider } : null;
  }

  const renderComplete = async (
    req: Request,
    res: Response,
    status: number,
    provider: IdentityProvider,
    values: Record<string, string>,
    errors: Record<string, string> = {},
  ) => {
    res.status(status).render('identity/complete', {
      title: req.t('identity:complete.title'),
      provider,
      units: await sso.unitChoices(provider),
      jobRoles: await organisations.listJobRoles(),
      values,
      errors,
      identityPaths,
    });
  };

  const renderLink = (
    req: Request,
    res: Response,
    status: number,
    p: { provider: IdentityProvider; person: ExternalPerson },
    mailSent: boolean,
    errors: Record<string, string>,
  ) => {
    res.status(status).render('identity/link', {
      title: req.t('identity:link.title'),
      provider: p.provider,
      email: p.person.email,
      mailSent,
      errors,
      identityPaths,
    });
  };

  return {
    /** Login page form (GET, works without JavaScript): an organisation chosen, or the domain of a work address. */
    async find(req: Request, res: Response) {
      const org = idParam(req.query.org);
      const email = typeof req.query.epost === 'string' ? req.query.epost.trim() : '';
      const enabled = await providers.listEnabled();
      const domain = email.slice(email.lastIndexOf('@') + 1);
      const provider = org
        ? enabled.find((p) => p.organisationId === org || p.id === org)
        : domain
          ? await providers.findEnabledByDomain(domain)
          : null;
      // A link, not a redirect: the form's Content-Security-Policy (form-action 'self') would stop a redirect to the provider.
      res.status(provider || !(org || email) ? 200 : 404).render('identity/find', {
        title: req.t('identity:find.title'),
        providers: enabled,
        values: { epost: email, org: String(org ?? '') },
        match: provider ? { name: provider.organisationName, href: identityPaths.start(provider.id) } : null,
        notFound: !provider && !!(org || email),
        identityPaths,
      });
    },

    async start(req: Request, res: Response) {
      const test = req.query.prova === '1';
      let provider: IdentityProvider | null = null;
      try {
        provider = await providerFor(req, test);
        if (provider.kind === 'oidc') {
          const { url, checks } = await oidc.authorizeUrl(provider, test);
          req.session.sso = { ...req.session.sso, oidc: checks };
          await settled((done) => {
            req.session.save(done);
          });
          res.redirect(303, url);
          return;
        }
        res.redirect(303, await saml.authorizeUrl(provider, test));
      } catch (error) {
        await refuse(req, res, error, provider?.id ?? null);
      }
    },

    async oidcCallback(req: Request, res: Response) {
      const id = idParam(req.params.id);
      try {
        const session = req.session.sso;
        const checks = session?.oidc;
        if (!session || !checks || checks.providerId !== id) throw new SsoError('state');
        delete session.oidc; // one answer per redirect
        const provider = await providerFor(req, checks.test);
        const currentUrl = new URL(req.originalUrl, deps.config.publicBaseUrl);
        const { claims, idToken } = await oidc.callback(provider, currentUrl, checks);
        await finish(
          req,
          res,
          provider,
          personFromClaims(provider, String(claims.sub), claims),
          checks.test,
          { providerId: provider.id, idToken },
        );
      } catch (error) {
        await refuse(req, res, error, id);
      }
    },

    /** The IdP's POST (cross-site, so without our CSRF token): the signed response and its InResponseTo are the proof. */
    async samlAcs(req: Request, res: Response) {
      const id = idParam(req.params.id);
      try {
        const provider = id ? await providers.find(id) : null;
        if (!provider) throw new SsoError('unknownProvider');
        const response = formText(req, 'SAMLResponse');
        if (!response) throw new SsoError('invalid');
        const { profile, request } = await saml.verify(provider, response);
        if (!provider.enabled && !request.test) throw new SsoError('unknownProvider');
        const attributes = { ...(profile.attributes as Record<string, unknown> | undefined), ...profile };
        await finish(
          req,
          res,
          provider,
          personFromClaims(provider, profile.nameID, attributes),
          request.test,
          {
            providerId: provider.id,
            saml: {
              nameID: profile.nameID,
              nameIDFormat: profile.nameIDFormat,
              sessionIndex: profile.sessionIndex,
            },
          },
        );
      } catch (error) {
        await refuse(req, res, error, id);
      }
    },

    async showComplete(req: Request, res: Response) {
      const p = await pending(req, 'complete');
      if (!p) {
        res.redirect(paths.login);
        return;
      }
      await renderComplete(req, res, 200, p.provider, { name: p.person.name });
    },

    async complete(req: Request, res: Response, next: NextFunction) {
      const p = await pending(req, 'complete');
      if (!p) {
        res.redirect(303, paths.login);
        return;
      }
      const unitId = idParam(formBody(req).unitId);
      const jobRole = formText(req, 'jobRole');
      const errors: Record<string, string> = {};
      if (!unitId || !(await sso.isUnitOf(p.provider, unitId)))
        errors.unitId = 'identity:complete.unitRequired';
      if (!(await organisations.jobRoleExists(jobRole))) errors.jobRole = 'identity:complete.jobRoleRequired';
      if (!unitId || Object.keys(errors).length) {
        await renderComplete(req, res, 400, p.provider, { unitId: formText(req, 'unitId'), jobRole }, errors);
        return;
      }
      try {
        const user = await sso.createAccount(p.provider, p.person, unitId, jobRole);
        await signIn(req, res, user, req.session.sso?.signedInWith);
      } catch (error) {
        // The same answer submitted twice.
        if ((error as { code?: string }).code === '23505') res.redirect(303, paths.login);
        else if (error instanceof SsoError) await refuse(req, res, error, p.provider.id);
        else next(error);
      }
    },

    async showLink(req: Request, res: Response) {
      const p = await pending(req, 'link');
      if (!p) {
        res.redirect(paths.login);
        return;
      }
      renderLink(req, res, 200, p, req.query.skickat === '1', {});
    },

    /** The other proof: a single-use link mailed to the account's address, opened in this browser. */
    async sendLinkMail(req: Request, res: Response) {
      const p = await pending(req, 'link');
      if (!p) {
        res.redirect(303, paths.login);
        return;
      }
      try {
        if ((await sso.sendLinkMail(p.provider, p.person)) === 'limited')
          renderLink(req, res, 429, p, false, { mail: 'identity:link.tooManyMails' });
        else res.redirect(303, identityPaths.linkMailSent);
      } catch (error) {
        await refuse(req, res, error, p.provider.id);
      }
    },

    /** The mailed link: a page with a button (a mail scanner's GET must not use the link up). */
    async showLinkByMail(req: Request, res: Response) {
      const token = String(req.params.token);
      const p = await pending(req, 'link');
      try {
        if (!p) throw new SsoError('linkSession');
        if (!(await sso.mailLinkValid(p.person, token))) throw new SsoError('mailLink');
        res.render('identity/link-by-mail', {
          title: req.t('identity:linkByMail.title'),
          provider: p.provider,
          email: p.person.email,
          action: identityPaths.linkByMail(token),
        });
      } catch (error) {
        await refuse(req, res, error, p?.provider.id ?? null);
      }
    },

    async linkByMail(req: Request, res: Response) {
      const token = String(req.params.token);
      const p = await pending(req, 'link');
      try {
        if (!p) throw new SsoError('linkSession');
        const user = await sso.linkWithMail(p.provider, p.person, token);
        if (!user) throw new SsoError('mailLink');
        await signIn(req, res, user, req.session.sso?.signedInWith);
      } catch (error) {
        await refuse(req, res, error, p?.provider.id ?? null);
      }
    },

    async link(req: Request, res: Response) {
      const p = await pending(req, 'link');
      if (!p) {
        res.redirect(303, paths.login);
        return;
      }
      const password = formText(req, 'password');
      try {
        const user = password ? await sso.linkWithPassword(p.provider, p.person, password) : null;
        if (!user) {
          renderLink(req, res, 401, p, false, { password: 'identity:link.wrongPassword' });
          return;
        }
        await signIn(req, res, user, req.session.sso?.signedInWith);
      } catch (error) {
        await refuse(req, res, error, p.provider.id);
      }
    },

    /**
     * Logging out after a sign-in through a provider: our session ends first, then the browser goes on to end the
     * provider's session where it can (OIDC end_session_endpoint with id_token_hint, SAML LogoutRequest to the
     * IdP's single logout address). The page moves on by itself (meta refresh) and has the link too: a redirect
     * from the logout form would be stopped by its Content-Security-Policy (form-action 'self').
     */
    async logout(req: Request, res: Response, next: NextFunction) {
      const signedIn = req.session.sso?.signedInWith;
      const provider = signedIn ? await providers.find(signedIn.providerId) : null;
      let endUrl: string | null = null;
      if (provider?.kind === 'oidc')
        endUrl = await oidc.endSessionUrl(
          provider,
          signedIn?.idToken,
          `${deps.config.publicBaseUrl}${paths.home}`,
        );
      else if (provider?.kind === 'saml' && signedIn?.saml)
        endUrl = await saml.logoutUrl(provider, signedIn.saml).catch((error: unknown) => {
          logger.warn('saml logout request failed', { providerId: provider.id, error: String(error) });
          return null;
        });
      if (!endUrl || !provider) {
        next();
        return;
      }
      const userId = req.user?.id ?? null;
      await endSession(req, res);
      res.locals.user = null;
      await recordProviderEvent(userId, 'sso.logout', provider.id, { kind: provider.kind });
      res.render('identity/logged-out', {
        title: req.t('identity:loggedOut.title'),
        endUrl,
        refreshTo: endUrl,
        providerName: provider.displayName,
      });
    },

    /**
     * Single logout (HTTP-Redirect): the IdP's answer to our LogoutRequest (our session is already gone), or its own
     * signed LogoutRequest when the person logged out elsewhere: then this browser's session ends if the IdP signed
     * in that person, and we answer (success either way: no session of theirs is left here).
     */
    async samlLogout(req: Request, res: Response) {
      const id = idParam(req.params.id);
      const provider = id ? await providers.find(id) : null;
      const originalQuery = req.originalUrl.split('?')[1] ?? '';
      try {
        if (!provider || provider.kind !== 'saml') throw new SsoError('unknownProvider');
        if (req.query.SAMLRequest !== undefined) {
          const request = await saml.verifyLogoutRequest(provider, req.query, originalQuery);
          const mine = req.session.sso?.signedInWith;
          const relayState = typeof req.query.RelayState === 'string' ? req.query.RelayState : '';
          const answer = (await saml.logoutResponseUrl(provider, request, relayState)) ?? paths.home;
          if (mine?.providerId !== provider.id || mine.saml?.nameID !== request.nameID) {
            res.redirect(303, answer);
            return;
          }
          const userId = req.user?.id ?? null;
          await endSession(req, res);
          await recordProviderEvent(userId, 'sso.logout', provider.id, { kind: 'saml', by: 'idp' });
          res.redirect(303, answer);
          return;
        }
        await saml.verifyLogoutResponse(provider, req.query, originalQuery);
        res.redirect(303, paths.home);
      } catch (error) {
        if (!(error instanceof SsoError)) throw error;
        // A refused LogoutRequest changed nothing here; a refused LogoutResponse comes after our session ended.
        const page = req.query.SAMLRequest !== undefined ? 'logoutRefused' : 'logoutUnconfirmed';
        logger.warn(`saml ${page}`, { reason: error.reason, providerId: id });
        res.status(400).render('identity/logout-unconfirmed', {
          title: req.t(`identity:${page}.title`),
          lead: req.t(`identity:${page}.lead`, { name: provider?.displayName ?? '' }),
          reason: error.reason,
        });
      }
    },

    /** Our SAML metadata for this sign-in, for the IdP's administrator. */
    async samlMetadata(req: Request, res: Response) {
      const id = idParam(req.params.id);
      const provider = id ? await providers.find(id) : null;
      if (!provider || provider.kind !== 'saml') {
        res.status(404).type('text/plain').send('Not found');
        return;
      }
      res.type('application/samlmetadata+xml').send(saml.spMetadata(provider));
    },
  };
}
