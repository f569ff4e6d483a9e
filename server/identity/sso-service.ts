/**
 * From a verified provider answer to an account: the linked account, a new one in the unit and job role the
 * claims name (else the person chooses once), or an existing account with the same address once the person
 * proves it is theirs. Disabled people are refused. Every sign-in and refusal is in the audit log.
 */
import type { i18n } from 'i18next';
import type { AuditService } from '../audit/audit-service';
import type { AccountService } from '../auth/account-service';
import type { RateLimits } from '../auth/rate-limits';
import type { CurrentUser } from '../auth/types';
import type { UsersService } from '../auth/users-service';
import { verifyPassword } from '../auth/passwords';
import type { InTransaction } from '../db/transaction';
import type { OrganisationsService, Unit } from '../organisations/organisations-service';
import { identityPaths } from './identity-paths';
import type { IdentityProvider, ProvidersRepository } from './providers-repository';
import type { ExternalPerson } from './sso-session';
import { SsoError } from './sso-errors';

/** An account made through a provider has no password; argon2 never verifies this value. */
const NO_PASSWORD = '!sso';
/** Link mails to one address per hour, so the page cannot be used to flood a mailbox. */
const LINK_MAILS_PER_HOUR = 3;

export type SignInResult =
  | { kind: 'user'; user: CurrentUser }
  | { kind: 'complete'; person: ExternalPerson }
  | { kind: 'link'; person: ExternalPerson };

const text = (value: unknown): string | null =>
  typeof value === 'string' && value.trim()
    ? value.trim()
    : Array.isArray(value) && typeof value[0] === 'string'
      ? value[0].trim()
      : null;

/** The claims (OIDC) or attributes (SAML) named in the provider's mapping. */
export function personFromClaims(
  provider: IdentityProvider,
  subject: string,
  claims: Record<string, unknown>,
): ExternalPerson {
  const email = text(claims[provider.claims.email]);
  if (!email || !/^[^@\s]+@[^@\s]+$/.test(email)) throw new SsoError('noEmail');
  return {
    providerId: provider.id,
    subject,
    email: email.toLowerCase(),
    name: text(claims[provider.claims.name]) ?? email,
    unitName: provider.claims.unit ? text(claims[provider.claims.unit]) : null,
    jobRole: provider.claims.jobRole ? text(claims[provider.claims.jobRole]) : null,
  };
}

export function ssoService(deps: {
  users: UsersService;
  organisations: OrganisationsService;
  providers: ProvidersRepository;
  account: AccountService;
  audit: AuditService;
  transaction: InTransaction;
  limits: RateLimits;
  i18n: i18n;
  publicBaseUrl: string;
}) {
  const { users, organisations, providers, account, audit } = deps;
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

  async function unitsOf(provider: IdentityProvider): Promise<Unit[]> {
    return (await organisations.listUnits()).filter((u) => u.organisationId === provider.organisationId);
  }

  async function unitIn(provider: IdentityProvider, name: string | null): Promise<number | null> {
    if (!name) return null;
    return (await unitsOf(provider)).find((u) => same(u.name, name))?.id ?? null;
  }

  async function jobRoleFor(claim: string | null): Promise<string | null> {
    if (!claim) return null;
    const roles = await organisations.listJobRoles();
    return (
      roles.find((r) => same(r.id, claim) || same(r.name.sv, claim) || same(r.name.en, claim))?.id ?? null
    );
  }

  async function signedIn(userId: number, provider: IdentityProvider, how: string): Promise<CurrentUser> {
    const user = await users.findActiveById(userId);
    if (!user) {
      await audit.record({
        actorId: userId,
        action: 'sso.refused',
        subject: `idp:${provider.id}`,
        details: { reason: 'disabled' },
      });
      throw new SsoError('disabled');
    }
    await users.touchLogin(userId);
    await providers.touchLogin(provider.id, userId);
    await audit.record({
      actorId: userId,
      action: 'sso.login',
      subject: `user:${userId}`,
      details: { providerId: provider.id, how },
    });
    return user;
  }

  return {
    async signIn(provider: IdentityProvider, person: ExternalPerson): Promise<SignInResult> {
      const linked = await providers.userFor(provider.id, person.subject);
      if (linked) return { kind: 'user', user: await signedIn(linked, provider, 'linked') };
      const existing = await users.findLogin(person.email);
      if (existing?.disabled) {
        await audit.record({
          actorId: existing.id,
          action: 'sso.refused',
          subject: `idp:${provider.id}`,
          details: { reason: 'disabled' },
        });
        throw new SsoError('disabled');
      }
      if (existing) return { kind: 'link', person };
      const [unitId, jobRole] = await Promise.all([
        unitIn(provider, person.unitName),
        jobRoleFor(person.jobRole),
      ]);
      if (unitId && jobRole)
        return { kind: 'user', user: await this.createAccount(provider, person, unitId, jobRole) };
      return { kind: 'complete', person };
    },

    /** A new learner in a unit of the provider's organisation; false when the unit or role is not one to choose. */
    async createAccount(
      provider: IdentityProvider,
      person: ExternalPerson,
      unitId: number,
      jobRole: string,
    ): Promise<CurrentUser> {
      const userId = await deps.transaction(async (trx) => {
        const id = await users.create(
          {
            email: person.email,
            name: person.name,
            passwordHash: NO_PASSWORD,
            unitId,
            jobRole,
            permissions: [{ kind: 'learner', organisationId: null, unitId: null }],
            emailVerified: true,
          },
          trx,
        );
        await providers.link(provider.id, person.subject, id, trx);
        await audit.record(
          {
            actorId: id,
            action: 'sso.account.create',
            subject: `user:${id}`,
            details: { providerId: provider.id, unitId, jobRole },
          },
          trx,
        );
        return id;
      });
      return signedIn(userId, provider, 'created');
    },

    async unitChoices(provider: IdentityProvider): Promise<{ id: number; name: string }[]> {
      return (await unitsOf(provider)).map(({ id, name }) => ({ id, name }));
    },

    async isUnitOf(provider: IdentityProvider, unitId: number): Promise<boolean> {
      return (await organisations.findUnit(unitId))?.organisationId === provider.organisationId;
    },

    /** Links the provider's identity to the account with the same address once its password is given. */
    async linkWithPassword(
      provider: IdentityProvider,
      person: ExternalPerson,
      password: string,
    ): Promise<CurrentUser | null> {
      const login = await users.findLogin(person.email);
      if (!login || !(await verifyPassword(login.passwordHash, password))) {
        await audit.record({
          actorId: login?.id ?? null,
          action: 'sso.link.refused',
          subject: `idp:${provider.id}`,
          details: {
            reason: 'password',
          },
        });
        return null;
      }
      if (login.disabled) throw new SsoError('disabled');
      await providers.link(provider.id, person.subject, login.id);
      await audit.record({
        actorId: login.id,
        action: 'sso.link',
        subject: `user:${login.id}`,
        details: { providerId: provider.id },
      });
      return signedIn(login.id, provider, 'linked-now');
    },

    /**
     * Mails the account with the person's address a single-use link (through the account service and the outbox);
     * 'limited' after a few mails to one address in an hour.
     */
    async sendLinkMail(provider: IdentityProvider, person: ExternalPerson): Promise<'sent' | 'limited'> {
      const login = await users.findLogin(person.email);
      if (!login || login.disabled) throw new SsoError('disabled');
      if ((await deps.limits.hit(`sso-link:email:${person.email}`, 3600)) > LINK_MAILS_PER_HOUR)
        return 'limited';
      await account.sendSsoLinkMail(login.id, ({ token, name, language }) => {
        const t = deps.i18n.getFixedT(language);
        const vars = {
          name,
          organisation: provider.displayName,
          url: `${deps.publicBaseUrl}${identityPaths.linkByMail(token)}`,
        };
        return { subject: t('identity:mail.link.subject', vars), text: t('identity:mail.link.text', vars) };
      });
      await audit.record({
        actorId: login.id,
        action: 'sso.link.mail',
        subject: `user:${login.id}`,
        details: { providerId: provider.id },
      });
      return 'sent';
    },

    /** Whether a mailed link belongs to the account with the person's address and can still be used. */
    async mailLinkValid(person: ExternalPerson, token: string): Promise<boolean> {
      const login = await users.findLogin(person.email);
      return !!login && (await account.useSsoLink(token, login.id, true));
    },

    /** Links the provider's identity to the account with the same address once its mailed link is used; null when the link does not work. */
    async linkWithMail(
      provider: IdentityProvider,
      person: ExternalPerson,
      token: string,
    ): Promise<CurrentUser | null> {
      const login = await users.findLogin(person.email);
      if (!login || !(await account.useSsoLink(token, login.id))) {
        await audit.record({
          actorId: login?.id ?? null,
          action: 'sso.link.refused',
          subject: `idp:${provider.id}`,
          details: {
            reason: 'mailLink',
          },
        });
        return null;
      }
      await providers.link(provider.id, person.subject, login.id);
      await audit.record({
        actorId: login.id,
        action: 'sso.link',
        subject: `user:${login.id}`,
        details: {
          providerId: provider.id,
          how: 'mail',
        },
      });
      return signedIn(login.id, provider, 'linked-now');
    },
  };
}

export type SsoService = ReturnType<typeof ssoService>;
