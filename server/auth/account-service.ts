/**
 * A way back in, and owning one's address: reset mails (asked for by the person or sent by an
 * administrator), changing a password, and verifying the address given when joining. Every mail goes
 * through the outbox, recorded as sent to that account.
 */
import type { i18n } from 'i18next';
import type { InTransaction, Transaction } from '../db/transaction';
import type { Language } from '../i18n/i18n';
import type { FieldErrors } from '../http/validation';
import type { MailService } from '../mail/mail-service';
import { hashPassword, verifyPassword } from './passwords';
import { passwordProblem } from './password-rules';
import type { SessionsRepository } from './sessions-repository';
import type { TokensRepository } from './tokens-repository';
import type { Account, UsersRepository } from './users-repository';

/** A link the person asked for lives an hour; one an administrator sends may wait for the next shift. */
export const RESET_LIFETIME_SECONDS = 3600;
export const ADMIN_RESET_LIFETIME_SECONDS = 24 * 3600;
export const VERIFY_LIFETIME_SECONDS = 7 * 24 * 3600;
/** Issue 16: a link that proves the address while a sign-in through the organisation waits to be linked. */
export const SSO_LINK_LIFETIME_SECONDS = 30 * 60;
/** At most this many reset mails to one address per hour, whoever asks. */
const RESET_MAILS_PER_HOUR = 3;

export const accountPaths = {
  forgotPassword: '/glomt-losenord',
  forgotPasswordSent: '/glomt-losenord/skickat',
  resetPassword: (token = ':token') => `/aterstall-losenord/${token}`,
  verifyEmail: (token = ':token') => `/bekrafta-e-post/${token}`,
  verifyEmailSent: '/bekrafta-e-post',
  changePassword: '/mina-uppgifter/losenord',
  adminSendReset: (id: number | string = ':id') => `/admin/personer/${id}/aterstallning`,
};

export function accountService(deps: {
  users: UsersRepository;
  tokens: TokensRepository;
  sessions: SessionsRepository;
  transaction: InTransaction;
  mail: MailService;
  i18n: i18n;
  publicBaseUrl: string;
  countResetMail: (email: string) => Promise<number>;
}) {
  const { users, tokens, sessions, transaction, mail } = deps;

  async function mailLink(
    p: Account,
    kind: 'reset' | 'adminReset' | 'verify',
    token: string,
    trx?: Transaction,
  ) {
    const t = deps.i18n.getFixedT(p.uiLanguage);
    const url = `${deps.publicBaseUrl}${kind === 'verify' ? accountPaths.verifyEmail(token) : accountPaths.resetPassword(token)}`;
    const vars = {
      name: p.name,
      url,
      hours: kind === 'adminReset' ? 24 : 1,
      forgot: `${deps.publicBaseUrl}${accountPaths.forgotPassword}`,
    };
    await mail.send(
      {
        to: p.email,
        userId: p.id,
        subject: t(`auth:mail.${kind}.subject`, vars),
        text: t(`auth:mail.${kind}.text`, vars),
      },
      { trx },
    );
  }

  return {
    accountPaths,

    /**
     * Mails a reset link when the address belongs to an active person. The caller answers the same either
     * way; a few mails per hour per address at most, so the form cannot be used to flood a mailbox.
     */
    async requestReset(email: string): Promise<void> {
      const p = await users.findAccountByEmail(email);
      if (!p || p.disabled) return;
      if ((await deps.countResetMail(p.email)) > RESET_MAILS_PER_HOUR) return;
      const token = await tokens.issue(p.id, 'reset', p.email, RESET_LIFETIME_SECONDS);
      await mailLink(p, 'reset', token);
    },

    /** An administrator sends a reset mail from the person's page; false when the person is disabled or unknown. */
    async sendResetByAdmin(userId: number, trx?: Transaction): Promise<boolean> {
      const p = await users.findAccount(userId, trx);
      if (!p || p.disabled) return false;
      const token = await tokens.issue(p.id, 'reset', p.email, ADMIN_RESET_LIFETIME_SECONDS, trx);
      await mailLink(p, 'adminReset', token, trx);
      return true;
    },

    /** Whether a reset link can still be used (for showing the form or the "link no longer works" page). */
    async resetLinkValid(token: string): Promise<boolean> {
      const found = await tokens.findValid(token, 'reset');
      const p = found && (await users.findAccount(found.userId));
      return !!p && !p.disabled && p.email.toLowerCase() === found.email.toLowerCase();
    },

    /**
     * Sets a new password from a reset link: uses the link once, ends the person's other links and
     * sessions, and (the mail reached them) counts the address as theirs.
     */
    async resetPassword(
      token: string,
      password: string,
    ): Promise<
      | { ok: true; userId: number }
      | { ok: false; gone: true }
      | { ok: false; gone: false; errors: FieldErrors }
    > {
      const found = await tokens.findValid(token, 'reset');
      const p = found && (await users.findAccount(found.userId));
      if (!found || !p || p.disabled || p.email.toLowerCase() !== found.email.toLowerCase())
        return { ok: false, gone: true };
      const problem = passwordProblem(password, p);
      if (problem) return { ok: false, gone: false, errors: { password: problem } };
      const hash = await hashPassword(password);
      const done = await transaction(async (trx) => {
        if (!(await tokens.use(found.id, trx))) return false;
        await tokens.useAll(p.id, 'reset', trx);
        // The link reached the person's mailbox: the address is theirs.
        await users.setPasswordHash(p.id, hash, { verifyEmail: true }, trx);
        await sessions.endAllOf(p.id, null, trx);
        return true;
      });
      return done ? { ok: true, userId: p.id } : { ok: false, gone: true };
    },

    /** Changes a logged-in person's password; the current one is required. Other sessions end. */
    async changePassword(
      userId: number,
      current: string,
      password: string,
      keepSid: string,
    ): Promise<{ ok: true } | { ok: false; errors: FieldErrors }> {
      const storedHash = await users.passwordHash(userId);
      const p = await users.findAccount(userId);
      if (storedHash === null || !p || !(await verifyPassword(storedHash, current)))
        return { ok: false, errors: { currentPassword: 'auth:errors.currentPasswordWrong' } };
      const problem = passwordProblem(password, p);
      if (problem) return { ok: false, errors: { password: problem } };
      const hash = await hashPassword(password);
      await transaction(async (trx) => {
        await users.setPasswordHash(userId, hash, { verifyEmail: false }, trx);
        await tokens.useAll(userId, 'reset', trx);
        await sessions.endAllOf(userId, keepSid, trx);
      });
      return { ok: true };
    },

    /** Mails the link that proves the address is the person's (after joining, or when asked again). */
    async sendVerification(userId: number, trx?: Transaction): Promise<void> {
      const p = await users.findAccount(userId, trx);
      if (!p || p.verified || p.disabled) return;
      const token = await tokens.issue(p.id, 'verify', p.email, VERIFY_LIFETIME_SECONDS, trx);
      await mailLink(p, 'verify', token, trx);
    },

    /** Opens a verification link: the account now owns its address. False when the link is used, expired or for an old address. */
    async verifyEmail(token: string): Promise<boolean> {
      return transaction(async (trx) => {
        const found = await tokens.findValid(token, 'verify', trx);
        const p = found && (await users.findAccount(found.userId, trx));
        if (!found || !p || p.email.toLowerCase() !== found.email.toLowerCase()) return false;
        if (!(await tokens.use(found.id, trx))) return false;
        await users.markEmailVerified(p.id, trx);
        return true;
      });
    },

    /**
     * Issue 16: mails a single-use link to an active account's address, so a sign-in through the person's
     * organisation can be linked to it. The caller writes the mail around the token; false when there is no such account.
     */
    async sendSsoLinkMail(
      userId: number,
      compose: (p: { token: string; name: string; language: Language }) => { subject: string; text: string },
    ): Promise<boolean> {
      const p = await users.findAccount(userId);
      if (!p || p.disabled) return false;
      await transaction(async (trx) => {
        const token = await tokens.issue(p.id, 'sso-link', p.email, SSO_LINK_LIFETIME_SECONDS, trx);
        const mailText = compose({ token, name: p.name, language: p.uiLanguage });
        await mail.send({ to: p.email, userId: p.id, ...mailText }, { trx });
      });
      return true;
    },

    /**
     * Uses such a link once, if it is that account's, for its current address, unused and unexpired (a link
     * that is not the account's is left alone). The mail reached the address, so it counts as verified; an address
     * nobody had verified may have been claimed by someone else, so, as after a reset, its password stops working
     * and its sessions end. With `check` the link is only looked at.
     */
    async useSsoLink(token: string, userId: number, check = false): Promise<boolean> {
      return transaction(async (trx) => {
        const found = await tokens.findValid(token, 'sso-link', trx);
        const p = found && (await users.findAccount(found.userId, trx));
        if (!found || !p || p.id !== userId || p.disabled) return false;
        if (p.email.toLowerCase() !== found.email.toLowerCase()) return false;
        if (check) return true;
        if (!(await tokens.use(found.id, trx))) return false;
        if (!p.verified) {
          await users.setPasswordHash(p.id, '!sso', { verifyEmail: true }, trx);
          await sessions.endAllOf(p.id, null, trx);
        }
        return true;
      });
    },

    async isVerified(userId: number): Promise<boolean> {
      return !!(await users.findAccount(userId))?.verified;
    },
  };
}

export type AccountService = ReturnType<typeof accountService>;
