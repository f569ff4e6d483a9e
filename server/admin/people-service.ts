/**
 * What HMC administrators do to people and units: every change is written together with its audit
 * entry, in one transaction. Reads the users table through auth's service and the units through the
 * organisations service.
 */
import type { AccountService } from '../auth/account-service';
import { hashPassword } from '../auth/passwords';
import type { Permission } from '../auth/types';
import type { UsersService } from '../auth/users-service';
import type { AuditService } from '../audit/audit-service';
import type { InTransaction } from '../db/transaction';
import type { OrganisationsService } from '../organisations/organisations-service';
import type { PeopleRepository, PersonFacts } from './people-repository';

export type { PersonFacts, PersonRow } from './people-repository';

export function peopleService(deps: {
  people: PeopleRepository;
  usersService: Pick<UsersService, 'create' | 'emailRegistered' | 'emailUsedByOther' | 'permissionsOf'>;
  organisationsService: Pick<OrganisationsService, 'renewJoinCode' | 'setJoinCodeEnabled'>;
  account: Pick<AccountService, 'sendResetByAdmin' | 'isVerified'>;
  audit: AuditService;
  transaction: InTransaction;
}) {
  const { people, usersService: users, account, audit, transaction } = deps;
  return {
    search: people.search,
    find: people.find,
    permissionsOf: users.permissionsOf,
    isVerified: account.isVerified,
    emailRegistered: (email: string) => users.emailRegistered(email),
    emailUsedByOther: users.emailUsedByOther,

    /** Creates a person with a password the administrator chose; null when the address is taken. */
    async create(
      actorId: number,
      person: PersonFacts & { password: string; permissions: Permission[] },
    ): Promise<number | null> {
      const passwordHash = await hashPassword(person.password);
      try {
        return await transaction(async (trx) => {
          const id = await users.create(
            {
              email: person.email,
              name: person.name,
              passwordHash,
              unitId: person.unitId,
              jobRole: person.jobRole,
              permissions: person.permissions,
            },
            trx,
          );
          await audit.record({ actorId, action: 'person.create', subject: `user:${id}` }, trx);
          return id;
        });
      } catch (error) {
        // Two submits at once: the unique e-mail index lets exactly one through.
        if ((error as { code?: string }).code === '23505') return null;
        throw error;
      }
    },

    /** Changes a person's facts and permissions (reviewers apart). */
    async update(actorId: number, id: number, facts: PersonFacts, permissions: Permission[]): Promise<void> {
      await transaction(async (trx) => {
        await people.update(id, facts, permissions, trx);
        await audit.record(
          { actorId, action: 'person.update', subject: `user:${id}`, details: { ...facts, permissions } },
          trx,
        );
      });
    },

    /** Disables a person (they are logged out on their next request) or enables them again. */
    async setDisabled(actorId: number, id: number, disabled: boolean): Promise<void> {
      await transaction(async (trx) => {
        await people.setDisabled(id, disabled, trx);
        await audit.record(
          { actorId, action: disabled ? 'person.disable' : 'person.enable', subject: `user:${id}` },
          trx,
        );
      });
    },

    /** Mails the person a reset link; false when they are disabled. */
    async sendReset(actorId: number, id: number): Promise<boolean> {
      return transaction(async (trx) => {
        if (!(await account.sendResetByAdmin(id, trx))) return false;
        await audit.record({ actorId, action: 'person.passwordResetMail', subject: `user:${id}` }, trx);
        return true;
      });
    },

    /** Renews a unit's join code (the old one stops working) or disables it. */
    async changeJoinCode(actorId: number, unitId: number, change: 'renew' | 'disable'): Promise<void> {
      await transaction(async (trx) => {
        if (change === 'disable') await deps.organisationsService.setJoinCodeEnabled(unitId, false, trx);
        else await deps.organisationsService.renewJoinCode(unitId, trx);
        await audit.record({ actorId, action: `unit.joinCode.${change}`, subject: `unit:${unitId}` }, trx);
      });
    },
  };
}

export type PeopleService = ReturnType<typeof peopleService>;
