/**
 * People as other features see them. The auth feature owns the `users` table; bookings (guest
 * confirmation), authoring (appointing reviewers), identity (single sign-on), courses and reminders call
 * these instead of querying the table or importing the repository. E-mail addresses are matched in one
 * place (users-repository: trimmed, without case).
 */
import type { Transaction } from '../db/transaction';
import type { Account, NewUser, UsersRepository } from './users-repository';

export type { Account, NewUser } from './users-repository';

export function usersService(users: UsersRepository) {
  return {
    /** The account an e-mail address belongs to (case-insensitive), disabled ones included; null if none. */
    findByEmail: (email: string, trx?: Transaction): Promise<Account | null> =>
      users.findAccountByEmail(email, trx),

    /** The id of the active (not disabled) person with this address, or null. */
    async activeIdByEmail(email: string, trx?: Transaction): Promise<number | null> {
      const account = await users.findAccountByEmail(email, trx);
      return account && !account.disabled ? account.id : null;
    },

    /** Whether any account (disabled ones too) has this address. */
    emailRegistered: (email: string, trx?: Transaction): Promise<boolean> => users.emailTaken(email, trx),

    /** Whether someone other than `personId` has this address (changing a person's address). */
    emailUsedByOther: (email: string, personId: number): Promise<boolean> =>
      users.emailTaken(email, undefined, personId),

    /** The account with this id, disabled ones included; null if unknown. */
    findAccount: (id: number, trx?: Transaction): Promise<Account | null> => users.findAccount(id, trx),

    /** The person's name (for certificates and lists), or null for an unknown id. */
    async nameOf(id: number): Promise<string | null> {
      return (await users.findAccount(id))?.name ?? null;
    },

    /** An active person with permissions (what `req.user` holds); null when unknown or disabled. */
    findActiveById: users.findActiveById,
    /** The login record for an address (identity: matching a provider's person to an account). */
    findLogin: users.findLogin,
    /** Creates a person with permissions, in the caller's transaction when given. */
    create: (user: NewUser, trx?: Transaction): Promise<number> => users.create(user, trx),
    touchLogin: users.touchLogin,
    permissionsOf: (userId: number): Promise<Awaited<ReturnType<UsersRepository['permissionsOf']>>> =>
      users.permissionsOf(userId),
    setContentVariant: users.setContentVariant,
  };
}

export type UsersService = ReturnType<typeof usersService>;
