import { and, desc, inArray, sql } from 'drizzle-orm';
import { auditLog, taxExemptions } from '../../db/schema';
import type { DbOrTx } from '../../db/client';
import type { BusinessDate } from '../../domain/business-date';
import { getAccount } from './account-service';
import { membersOfAccount, memberIdsEverOnAccount } from './member-service';
import { documentsOfMembers } from './identity-documents';
import { exemptionsOfAccount } from './tax-exemptions';

/**
 * The audit trail of a household: the account row, every member who is or was on it (a moved member's
 * history follows them, so it shows on both accounts) and its tax certificates.
 */
export async function accountAuditTrail(db: DbOrTx, accountId: string, page: number, limit = 20) {
  const exemptionIds = (await db.select({ id: taxExemptions.id }).from(taxExemptions).where(sql`${taxExemptions.accountId} = ${accountId}`)).map((r) => r.id);
  const ids = [accountId, ...(await memberIdsEverOnAccount(db, accountId)), ...exemptionIds];
  const where = and(inArray(auditLog.entityType, ['account', 'member', 'tax_exemption']), inArray(auditLog.entityId, ids));
  const [{ total }] = await db.select({ total: sql<number>`count(*)::int` }).from(auditLog).where(where);
  const rows = await db
    .select()
    .from(auditLog)
    .where(where)
    .orderBy(desc(auditLog.id))
    .limit(limit)
    .offset((page - 1) * limit);
  return { rows, total, page, totalPages: Math.max(1, Math.ceil(total / limit)) };
}

/** Everything the account page shows, for modules that exist today. */
export async function accountPageData(db: DbOrTx, id: string, today: BusinessDate, historyPage = 1) {
  const account = await getAccount(db, id);
  const members = await membersOfAccount(db, account, today);
  const documents = await documentsOfMembers(db, members.map((m) => m.id));
  const exemptions = await exemptionsOfAccount(db, account.id, today);
  const history = await accountAuditTrail(db, account.id, historyPage);
  return { account, members, documents, exemptions, history };
}
