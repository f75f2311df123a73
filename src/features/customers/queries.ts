import { and, desc, inArray, sql } from 'drizzle-orm';
import { auditLog, taxExemptions } from '../../db/schema';
import type { DbOrTx } from '../../db/client';
import type { BusinessDate } from '../../domain/business-date';
import { getAccount } from './account-service';
import { membersOfAccount, memberIdsEverOnAccount } from './member-service';
import { documentsOfMembers } from './identity-documents';
import { exemptionsOfAccount } from './tax-exemptions';
import { photosOfMembers } from './images';

/**
 * The audit trail of a household: the account row, every member who is or was on it (a moved member's
 * history follows them, so it shows on both accounts) and its tax certificates.
 */
export async function accountAuditTrail(db: DbOrTx, accountId: string, page: number, limit = 20) {
  const [exemptionRows, memberIds] = await Promise.all([
    db.select({ id: taxExemptions.id }).from(taxExemptions).where(sql`${taxExemptions.accountId} = ${accountId}`),
    memberIdsEverOnAccount(db, accountId),
  ]);
  const ids = [accountId, ...memberIds, ...exemptionRows.map((r) => r.id)];
  const where = and(inArray(auditLog.entityType, ['account', 'member', 'tax_exemption']), inArray(auditLog.entityId, ids));
  const [[{ total }], rows] = await Promise.all([
    db.select({ total: sql<number>`count(*)::int` }).from(auditLog).where(where),
    db
      .select()
      .from(auditLog)
      .where(where)
      .orderBy(desc(auditLog.id))
      .limit(limit)
      .offset((page - 1) * limit),
  ]);
  return { rows, total, page, totalPages: Math.max(1, Math.ceil(total / limit)) };
}

/**
 * Everything the account page shows, for modules that exist today. Independent reads go out together (the pool
 * runs them on separate connections), so the page costs about three round trips rather than ten.
 */
export async function accountPageData(db: DbOrTx, id: string, today: BusinessDate, historyPage = 1) {
  const account = await getAccount(db, id);
  const [members, exemptions, history] = await Promise.all([
    membersOfAccount(db, account, today),
    exemptionsOfAccount(db, account.id, today),
    accountAuditTrail(db, account.id, historyPage),
  ]);
  const memberIds = members.map((m) => m.id);
  const [documents, photos] = await Promise.all([documentsOfMembers(db, memberIds), photosOfMembers(db, memberIds)]);
  return { account, members, documents, photos, exemptions, history };
}
