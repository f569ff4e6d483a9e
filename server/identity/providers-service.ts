/** Administering identity providers: each change and its audit entry commit together. */
import type { AuditService } from '../audit/audit-service';
import type { InTransaction } from '../db/transaction';
import type { ProviderInput, ProvidersRepository } from './providers-repository';

export function providersService(deps: {
  providers: ProvidersRepository;
  audit: AuditService;
  transaction: InTransaction;
}) {
  const { providers, audit, transaction } = deps;
  return {
    find: providers.find,
    list: providers.list,

    async create(p: ProviderInput, actorId: number): Promise<number> {
      return transaction(async (trx) => {
        const id = await providers.create(p, trx);
        await audit.record(
          {
            actorId,
            action: 'idp.create',
            subject: `idp:${id}`,
            details: { organisationId: p.organisationId, kind: p.kind },
          },
          trx,
        );
        return id;
      });
    },

    /** An empty secret keeps the stored one. */
    async update(id: number, p: ProviderInput, actorId: number): Promise<void> {
      await transaction(async (trx) => {
        await providers.update(id, p, trx);
        await audit.record({ actorId, action: 'idp.update', subject: `idp:${id}` }, trx);
      });
    },

    async setEnabled(id: number, enabled: boolean, actorId: number): Promise<void> {
      await transaction(async (trx) => {
        await providers.setEnabled(id, enabled, trx);
        await audit.record(
          { actorId, action: enabled ? 'idp.enable' : 'idp.disable', subject: `idp:${id}` },
          trx,
        );
      });
    },
  };
}

export type ProvidersService = ReturnType<typeof providersService>;
