import { asc, eq, inArray } from 'drizzle-orm';
import { identityDocuments } from '../../db/schema';
import type { DbOrTx, Tx } from '../../db/client';
import { recordAudit, type Actor } from '../audit/service';
import { NotFoundError } from '../service-errors';
import type { IdentityDocumentInput } from './schemas';
import { getMember } from './member-service';
import { isUuid } from '../../db/sql-helpers';

export type IdentityDocumentRow = typeof identityDocuments.$inferSelect;

export const DOC_TYPE_LABELS: Record<string, string> = { drivers_license: "Driver's license", state_id: 'State ID', passport: 'Passport', other: 'Other' };

export async function documentsOfMembers(db: DbOrTx, memberIds: string[]): Promise<Map<string, IdentityDocumentRow[]>> {
  const map = new Map<string, IdentityDocumentRow[]>();
  if (memberIds.length === 0) return map;
  const rows = await db.select().from(identityDocuments).where(inArray(identityDocuments.memberId, memberIds)).orderBy(asc(identityDocuments.createdAt), asc(identityDocuments.id));
  for (const r of rows) map.set(r.memberId, [...(map.get(r.memberId) ?? []), r]);
  return map;
}

export async function getIdentityDocument(db: DbOrTx, documentId: string): Promise<IdentityDocumentRow> {
  if (!isUuid(documentId)) throw new NotFoundError('Identity document');
  const [row] = await db.select().from(identityDocuments).where(eq(identityDocuments.id, documentId));
  if (!row) throw new NotFoundError('Identity document');
  return row;
}

/** Identity documents belong to the member's record, so their audit rows are filed under the member. */
export async function addIdentityDocument(tx: Tx, actor: Actor, memberId: string, input: IdentityDocumentInput, _now?: Date): Promise<IdentityDocumentRow> {
  const member = await getMember(tx, memberId);
  const [row] = await tx
    .insert(identityDocuments)
    .values({ memberId: member.id, docType: input.doc_type, number: input.number, issuingRegion: input.issuing_region ?? '', expiresOn: input.expires_on ?? null, notes: input.notes ?? '' })
    .returning();
  await recordAudit(tx, actor, { action: 'member.identity_document.add', entityType: 'member', entityId: member.id, summary: `Added ${DOC_TYPE_LABELS[row.docType]} to ${member.firstName} ${member.lastName} (#${member.number})`, after: row });
  return row;
}

export async function removeIdentityDocument(tx: Tx, actor: Actor, documentId: string): Promise<IdentityDocumentRow> {
  if (!isUuid(documentId)) throw new NotFoundError('Identity document');
  const [row] = await tx.select().from(identityDocuments).where(eq(identityDocuments.id, documentId)).for('update');
  if (!row) throw new NotFoundError('Identity document');
  const member = await getMember(tx, row.memberId);
  // Its scans go with it (ON DELETE CASCADE on customer_images).
  await tx.delete(identityDocuments).where(eq(identityDocuments.id, documentId));
  await recordAudit(tx, actor, { action: 'member.identity_document.remove', entityType: 'member', entityId: member.id, summary: `Removed ${DOC_TYPE_LABELS[row.docType]} from ${member.firstName} ${member.lastName} (#${member.number})`, before: row });
  return row;
}
