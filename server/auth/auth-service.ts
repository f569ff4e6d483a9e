/** Logging in, and joining a unit with the join code the employer handed out. */
import type { InTransaction, Transaction } from '../db/transaction';
import type { OrganisationsService } from '../organisations/organisations-service';
import type { FieldErrors } from '../http/validation';
import { hashPassword, verifyPassword } from './passwords';
import type { UsersRepository } from './users-repository';
import type { JoinForm } from './auth-validation';
import type { CurrentUser } from './types';
import type { AccountService } from './account-service';
import type { Variant } from '../courses/types';

export function authService(deps: {
  users: UsersRepository;
  organisationsService: Pick<OrganisationsService, 'findUnitByJoinCode' | 'jobRoleExists'>;
  account: AccountService;
  transaction: InTransaction;
}) {
  const { users, organisationsService: organisations, account, transaction } = deps;
  return {
    /** The person for an e-mail and password, or null; disabled people cannot log in. */
    async authenticate(email: string, password: string): Promise<CurrentUser | null> {
      const login = await users.findLogin(email);
      const ok = await verifyPassword(login?.passwordHash ?? null, password);
      if (!login || !ok || login.disabled) return null;
      await users.touchLogin(login.id);
      return users.findActiveById(login.id);
    },

    /**
     * Registers a learner in the join code's unit and mails a link to verify the address (in the same
     * transaction). Until it is opened the person may take courses, but the address is not theirs: nothing
     * sent to it before is shown to them, and trainings do not match them by it.
     */
    async join(form: JoinForm): Promise<{ ok: true; userId: number } | { ok: false; errors: FieldErrors }> {
      const unit = await organisations.findUnitByJoinCode(form.joinCode);
      if (!unit) return { ok: false, errors: { joinCode: 'auth:errors.joinCodeUnknown' } };
      if (!(await organisations.jobRoleExists(form.jobRole)))
        return { ok: false, errors: { jobRole: 'auth:errors.jobRoleRequired' } };
      const passwordHash = await hashPassword(form.password);
      try {
        const userId = await transaction(async (trx) => {
          if (await users.emailTaken(form.email, trx)) return null;
          const id = await users.create(
            {
              email: form.email,
              name: form.name,
              passwordHash,
              unitId: unit.id,
              jobRole: form.jobRole,
              permissions: [{ kind: 'learner', organisationId: null, unitId: null }],
              emailVerified: false,
            },
            trx,
          );
          await account.sendVerification(id, trx);
          return id;
        });
        if (userId === null) return { ok: false, errors: { email: 'auth:errors.emailTaken' } };
        return { ok: true, userId };
      } catch (error) {
        // Two submits of the same form at once: the unique e-mail index lets exactly one through.
        if ((error as { code?: string }).code === '23505')
          return { ok: false, errors: { email: 'auth:errors.emailTaken' } };
        throw error;
      }
    },

    /** Where the account with an e-mail address (case-insensitive) belongs, or null; bookings match guests by it. */
    membershipByEmail: (email: string, trx?: Transaction) => users.membershipByEmail(email, trx),
    // Added for courses and authoring (issue 12): what they ask of people, through this service.
    /** When the person's account was made (the start of their introduction), or null. */
    setContentVariant: (userId: number, variant: Variant) => users.setContentVariant(userId, variant),
    /** An active person's id by e-mail address (case-insensitive), or null. */
    activeIdByEmail: (email: string) => users.activeIdByEmail(email),
    reviewersOf: (courseId: number) => users.reviewersOf(courseId),
    grantReviewer: (userId: number, courseId: number, trx?: Transaction) =>
      users.grantReviewer(userId, courseId, trx),
    revokeReviewer: (userId: number, courseId: number, trx?: Transaction) =>
      users.revokeReviewer(userId, courseId, trx),
    countActiveByJobRole: () => users.countActiveByJobRole(),
  };
}

export type AuthService = ReturnType<typeof authService>;
