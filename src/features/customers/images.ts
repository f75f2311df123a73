import { createHash } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { customerImages, identityDocuments, members } from '../../db/schema';
import type { DbOrTx, Tx } from '../../db/client';
import { recordAudit, type Actor } from '../audit/service';
import { NotFoundError, ServiceError } from '../service-errors';
import { isUuid } from '../../db/sql-helpers';
import { getMember } from './member-service';
import { DOC_TYPE_LABELS } from './identity-documents';
import { imageProblem, imageRuleMessage, sniffImageType, type ImageContentType } from './image-format';

/**
 * Member photos and identity-document scans. Pictures are not financial records: replacing one deletes the
 * old row, and removing deletes it; the audit log keeps who did it and the image's size and SHA-256 (never
 * the bytes). Audit rows are filed under the member, like the documents themselves.
 */

export const SCAN_SIDES = ['front', 'back'] as const;
export type ScanSide = (typeof SCAN_SIDES)[number];
export const SCAN_SIDE_LABELS: Record<ScanSide, string> = { front: 'Front', back: 'Back' };
export const isScanSide = (s: unknown): s is ScanSide => (SCAN_SIDES as readonly unknown[]).includes(s);

/** Everything about a stored image except its bytes (what pages, audit rows and JSON need). */
export interface ImageMeta {
  id: string;
  memberId: string | null;
  identityDocumentId: string | null;
  side: ScanSide | null;
  contentType: ImageContentType;
  byteSize: number;
  sha256: string;
  createdByLabel: string;
  createdAt: Date;
}
export interface StoredImage extends ImageMeta {
  data: Buffer;
}

const metaColumns = {
  id: customerImages.id,
  memberId: customerImages.memberId,
  identityDocumentId: customerImages.identityDocumentId,
  side: customerImages.side,
  contentType: customerImages.contentType,
  byteSize: customerImages.byteSize,
  sha256: customerImages.sha256,
  createdByLabel: customerImages.createdByLabel,
  createdAt: customerImages.createdAt,
};

/** A refused upload: 413 when too large, 415 when not an accepted image, 422 when empty; `field` names the form input. */
export class ImageRejectedError extends ServiceError {
  constructor(field: string, message: string, status: number) {
    super('validation_failed', message, status, { [field]: message });
  }
}

/** Checks the bytes before anything is written; returns the format read from the magic bytes. */
export function checkImage(bytes: Uint8Array, what: 'Photo' | 'Scan', field: string): ImageContentType {
  const problem = imageProblem(bytes);
  if (problem === 'empty') throw new ImageRejectedError(field, `Choose ${what === 'Photo' ? 'a photo' : 'a scan'} to upload. ${imageRuleMessage(what)}`, 422);
  if (problem === 'too_large') throw new ImageRejectedError(field, imageRuleMessage(what), 413);
  if (problem === 'unsupported_type') throw new ImageRejectedError(field, imageRuleMessage(what), 415);
  return sniffImageType(bytes)!;
}

const auditMeta = (m: ImageMeta | null) => (m ? { id: m.id, content_type: m.contentType, byte_size: m.byteSize, sha256: m.sha256, side: m.side } : null);
const memberName = (m: { firstName: string; lastName: string; number: string }) => `${m.firstName} ${m.lastName} (#${m.number})`;

async function insertImage(tx: Tx, actor: Actor, values: { kind: 'member_photo' | 'identity_document_scan'; memberId?: string; identityDocumentId?: string; side?: ScanSide }, bytes: Uint8Array, contentType: ImageContentType): Promise<ImageMeta> {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const [row] = await tx
    .insert(customerImages)
    .values({
      kind: values.kind,
      memberId: values.memberId ?? null,
      identityDocumentId: values.identityDocumentId ?? null,
      side: values.side ?? null,
      contentType,
      byteSize: data.length,
      sha256: createHash('sha256').update(data).digest('hex'),
      data,
      createdByUserId: actor.userId,
      createdByLabel: actor.label,
    })
    .returning(metaColumns);
  return row as ImageMeta;
}

// ---------------------------------------------------------------- member photo

/** Two uploads for one member at once: the second waits here, then replaces the first's photo. */
async function lockMember(tx: Tx, memberId: string) {
  await tx.select({ id: members.id }).from(members).where(eq(members.id, memberId)).for('update');
}

const photoWhere = (memberId: string) => and(eq(customerImages.kind, 'member_photo'), eq(customerImages.memberId, memberId));

export interface ImageChange {
  image: ImageMeta;
  /** The image this one replaced (now deleted), if any. */
  replaced: ImageMeta | null;
  memberId: string;
}

/** Sets (or replaces) the member's one photo. */
export async function setMemberPhoto(tx: Tx, actor: Actor, memberId: string, bytes: Uint8Array, field = 'photo'): Promise<ImageChange> {
  const member = await getMember(tx, memberId);
  const contentType = checkImage(bytes, 'Photo', field);
  await lockMember(tx, member.id);
  const [old] = await tx.select(metaColumns).from(customerImages).where(photoWhere(member.id));
  if (old) await tx.delete(customerImages).where(eq(customerImages.id, old.id));
  const image = await insertImage(tx, actor, { kind: 'member_photo', memberId: member.id }, bytes, contentType);
  await recordAudit(tx, actor, {
    action: old ? 'member.photo.replace' : 'member.photo.add',
    entityType: 'member',
    entityId: member.id,
    summary: `${old ? 'Replaced' : 'Added'} the photo of ${memberName(member)}`,
    before: auditMeta((old as ImageMeta | undefined) ?? null),
    after: auditMeta(image),
  });
  return { image, replaced: (old as ImageMeta | undefined) ?? null, memberId: member.id };
}

export async function removeMemberPhoto(tx: Tx, actor: Actor, memberId: string): Promise<ImageMeta> {
  const member = await getMember(tx, memberId);
  await lockMember(tx, member.id);
  const [old] = await tx.select(metaColumns).from(customerImages).where(photoWhere(member.id));
  if (!old) throw new NotFoundError('Photo');
  await tx.delete(customerImages).where(eq(customerImages.id, old.id));
  await recordAudit(tx, actor, { action: 'member.photo.remove', entityType: 'member', entityId: member.id, summary: `Removed the photo of ${memberName(member)}`, before: auditMeta(old as ImageMeta), after: null });
  return old as ImageMeta;
}

/** The photo with its bytes; 404 for an unknown member and for a member without a photo. */
export async function memberPhoto(db: DbOrTx, memberId: string): Promise<StoredImage> {
  const member = await getMember(db, memberId);
  const [row] = await db.select({ ...metaColumns, data: customerImages.data }).from(customerImages).where(photoWhere(member.id));
  if (!row) throw new NotFoundError('Photo');
  return row as StoredImage;
}

export async function photoOfMember(db: DbOrTx, memberId: string): Promise<ImageMeta | null> {
  return (await photosOfMembers(db, [memberId])).get(memberId) ?? null;
}

export async function photosOfMembers(db: DbOrTx, memberIds: string[]): Promise<Map<string, ImageMeta>> {
  const map = new Map<string, ImageMeta>();
  if (memberIds.length === 0) return map;
  const rows = await db.select(metaColumns).from(customerImages).where(and(eq(customerImages.kind, 'member_photo'), inArray(customerImages.memberId, memberIds)));
  for (const r of rows) map.set(r.memberId!, r as ImageMeta);
  return map;
}

// ---------------------------------------------------------------- identity-document scans

async function lockDocument(tx: Tx, documentId: string) {
  if (!isUuid(documentId)) throw new NotFoundError('Identity document');
  const [doc] = await tx.select().from(identityDocuments).where(eq(identityDocuments.id, documentId)).for('update');
  if (!doc) throw new NotFoundError('Identity document');
  return doc;
}

const scanWhere = (documentId: string, side: ScanSide) => and(eq(customerImages.kind, 'identity_document_scan'), eq(customerImages.identityDocumentId, documentId), eq(customerImages.side, side));

function checkSide(side: unknown): ScanSide {
  if (!isScanSide(side)) throw new ServiceError('validation_failed', 'Choose the front or the back of the document.', 422, { side: 'Choose the front or the back of the document.' });
  return side;
}

/** Sets (or replaces) one side of a document's scan: a document has at most a front and a back. */
export async function setDocumentScan(tx: Tx, actor: Actor, documentId: string, side: unknown, bytes: Uint8Array, field = 'scan'): Promise<ImageChange> {
  const doc = await lockDocument(tx, documentId);
  const face = checkSide(side);
  const contentType = checkImage(bytes, 'Scan', field);
  const member = await getMember(tx, doc.memberId);
  const [old] = await tx.select(metaColumns).from(customerImages).where(scanWhere(doc.id, face));
  if (old) await tx.delete(customerImages).where(eq(customerImages.id, old.id));
  const image = await insertImage(tx, actor, { kind: 'identity_document_scan', identityDocumentId: doc.id, side: face }, bytes, contentType);
  await recordAudit(tx, actor, {
    action: old ? 'member.identity_document.scan_replace' : 'member.identity_document.scan_add',
    entityType: 'member',
    entityId: member.id,
    summary: `${old ? 'Replaced' : 'Added'} the ${face} scan of the ${DOC_TYPE_LABELS[doc.docType]} of ${memberName(member)}`,
    before: old ? { identity_document_id: doc.id, ...auditMeta(old as ImageMeta) } : null,
    after: { identity_document_id: doc.id, ...auditMeta(image) },
  });
  return { image, replaced: (old as ImageMeta | undefined) ?? null, memberId: member.id };
}

export async function removeDocumentScan(tx: Tx, actor: Actor, documentId: string, side: unknown): Promise<ImageMeta & { memberId: string }> {
  const doc = await lockDocument(tx, documentId);
  if (!isScanSide(side)) throw new NotFoundError('Scan');
  const [old] = await tx.select(metaColumns).from(customerImages).where(scanWhere(doc.id, side));
  if (!old) throw new NotFoundError('Scan');
  const member = await getMember(tx, doc.memberId);
  await tx.delete(customerImages).where(eq(customerImages.id, old.id));
  await recordAudit(tx, actor, {
    action: 'member.identity_document.scan_remove',
    entityType: 'member',
    entityId: member.id,
    summary: `Removed the ${side} scan of the ${DOC_TYPE_LABELS[doc.docType]} of ${memberName(member)}`,
    before: { identity_document_id: doc.id, ...auditMeta(old as ImageMeta) },
    after: null,
  });
  return { ...(old as ImageMeta), memberId: member.id };
}

export async function documentScan(db: DbOrTx, documentId: string, side: string): Promise<StoredImage> {
  if (!isUuid(documentId) || !isScanSide(side)) throw new NotFoundError('Scan');
  const [row] = await db.select({ ...metaColumns, data: customerImages.data }).from(customerImages).where(scanWhere(documentId, side));
  if (!row) throw new NotFoundError('Scan');
  return row as StoredImage;
}

/** Scans per document id, front before back. */
export async function scansOfDocuments(db: DbOrTx, documentIds: string[]): Promise<Map<string, ImageMeta[]>> {
  const map = new Map<string, ImageMeta[]>();
  if (documentIds.length === 0) return map;
  const rows = await db
    .select(metaColumns)
    .from(customerImages)
    .where(and(eq(customerImages.kind, 'identity_document_scan'), inArray(customerImages.identityDocumentId, documentIds)));
  rows.sort((a, b) => SCAN_SIDES.indexOf(a.side as ScanSide) - SCAN_SIDES.indexOf(b.side as ScanSide));
  for (const r of rows) map.set(r.identityDocumentId!, [...(map.get(r.identityDocumentId!) ?? []), r as ImageMeta]);
  return map;
}
