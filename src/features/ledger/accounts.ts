import { eq, sql } from 'drizzle-orm';
import { ledgerAccounts } from '../../db/schema';
import type { DbOrTx, Tx } from '../../db/client';
import { recordAudit, type Actor } from '../audit/service';
import { isUniqueViolation, isUuid } from '../../db/sql-helpers';
import { ConflictError, NotFoundError } from '../service-errors';
import type { AccountEditInput } from './schemas';

export type LedgerAccount = typeof ledgerAccounts.$inferSelect;

export async function getLedgerAccount(db: DbOrTx, id: string): Promise<LedgerAccount> {
  if (!isUuid(id)) throw new NotFoundError('Ledger account');
  const [row] = await db.select().from(ledgerAccounts).where(eq(ledgerAccounts.id, id));
  if (!row) throw new NotFoundError('Ledger account');
  return row;
}

/**
 * Renumbers or renames an account to mirror the store's QuickBooks chart. The system key (what the posting
 * rules use), type and normal side never change (the database refuses it for system accounts). Audited with
 * before/after.
 */
export async function updateLedgerAccount(tx: Tx, actor: Actor, id: string, input: AccountEditInput): Promise<LedgerAccount> {
  const before = await getLedgerAccount(tx, id);
  const fields: Record<string, string> = {};
  const [codeClash] = await tx.select({ id: ledgerAccounts.id }).from(ledgerAccounts).where(sql`${ledgerAccounts.code} = ${input.code} and ${ledgerAccounts.id} <> ${id}`);
  if (codeClash) fields.code = 'Another account has this number.';
  const [nameClash] = await tx.select({ id: ledgerAccounts.id }).from(ledgerAccounts).where(sql`lower(${ledgerAccounts.name}) = ${input.name.toLowerCase()} and ${ledgerAccounts.id} <> ${id}`);
  if (nameClash) fields.name = 'Another account has this name.';
  if (Object.keys(fields).length) throw new ConflictError('Account numbers and names must be unique.', fields);
  let after: LedgerAccount;
  try {
    [after] = await tx.update(ledgerAccounts).set({ code: input.code, name: input.name, updatedAt: sql`now()` }).where(eq(ledgerAccounts.id, id)).returning();
  } catch (err) {
    // Two people saving the same number at once: the unique index stops the second.
    if (isUniqueViolation(err)) throw new ConflictError('Account numbers and names must be unique.', { code: 'Another account has this number or name.' });
    throw err;
  }
  await recordAudit(tx, actor, { action: 'ledger_account.update', entityType: 'ledger_account', entityId: id, summary: `${before.code} ${before.name} → ${after.code} ${after.name}`, before: { code: before.code, name: before.name }, after: { code: after.code, name: after.name } });
  return after;
}
