import { pgTable, text, timestamp, uuid, integer, customType, check, index, uniqueIndex } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { members, identityDocuments } from './customers';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/**
 * Optional pictures on customer records: a member's photo, and the front/back scans of an identity document.
 * The bytes live in PostgreSQL (not on disk) so a database backup carries them along with the record they
 * belong to. Each row has exactly one owner: a member (photo) or an identity document (scan).
 * Scans go with their document (ON DELETE CASCADE): removing a document removes its pictures.
 */
export const customerImages = pgTable(
  'customer_images',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').notNull(),
    memberId: uuid('member_id').references(() => members.id),
    identityDocumentId: uuid('identity_document_id').references(() => identityDocuments.id, { onDelete: 'cascade' }),
    /** Scans only: which face of the document; a document has at most one of each. */
    side: text('side'),
    contentType: text('content_type').notNull(),
    byteSize: integer('byte_size').notNull(),
    /** Hex SHA-256 of `data`: the HTTP ETag, and a check that the bytes are what was uploaded. */
    sha256: text('sha256').notNull(),
    data: bytea('data').notNull(),
    createdByUserId: uuid('created_by_user_id'),
    createdByLabel: text('created_by_label').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('customer_images_kind_check', sql`${t.kind} in ('member_photo', 'identity_document_scan')`),
    check(
      'customer_images_owner_check',
      sql`(${t.kind} = 'member_photo' and ${t.memberId} is not null and ${t.identityDocumentId} is null and ${t.side} is null)
        or (${t.kind} = 'identity_document_scan' and ${t.identityDocumentId} is not null and ${t.memberId} is null and ${t.side} in ('front', 'back'))`,
    ),
    check('customer_images_content_type_check', sql`${t.contentType} in ('image/jpeg', 'image/png', 'image/webp')`),
    check('customer_images_size_check', sql`${t.byteSize} > 0 and ${t.byteSize} <= 5242880 and ${t.byteSize} = octet_length(${t.data})`),
    check('customer_images_sha256_check', sql`${t.sha256} ~ '^[0-9a-f]{64}$'`),
    uniqueIndex('customer_images_member_photo_idx').on(t.memberId).where(sql`${t.kind} = 'member_photo'`),
    uniqueIndex('customer_images_document_side_idx').on(t.identityDocumentId, t.side).where(sql`${t.kind} = 'identity_document_scan'`),
    index('customer_images_document_idx').on(t.identityDocumentId),
  ],
);
