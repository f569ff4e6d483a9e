/** What other features call to write and read the audit log (the audit feature owns the `audit_log` table). */
import type { Transaction } from '../db/transaction';
import type { AuditEntry, AuditRepository } from './audit-repository';

export type { AuditEntry, AuditRecord } from './audit-repository';

export function auditService(repo: AuditRepository) {
  return {
    /** Records one entry; pass the transaction of the change it records so both commit or neither. */
    record: (entry: AuditEntry, trx?: Transaction) => repo.record(entry, trx),
    forSubjects: repo.forSubjects,
    lastAt: (action: string, subject: string, trx?: Transaction) => repo.lastAt(action, subject, trx),
  };
}

export type AuditService = ReturnType<typeof auditService>;
