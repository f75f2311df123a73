import { desc, eq, sql } from 'drizzle-orm';
import { taxExemptions } from '../../db/schema';
import type { DbOrTx, Tx } from '../../db/client';
import { recordAudit, type Actor } from '../audit/service';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../service-errors';
import type { BusinessDate } from '../../domain/business-date';
import type { TaxExemptionInput } from './schemas';
import { getAccount } from './account-service';
import { effectiveExemptionStatus, type ExemptionStatus } from './exemption-status';
import { isUuid } from '../../db/sql-helpers';

export type TaxExemptionRow = typeof taxExemptions.$inferSelect;
/** A certificate with the status it has today (approved + past expiry = expired). */
export type TaxExemptionView = TaxExemptionRow & { effectiveStatus: ExemptionStatus };

export interface ExemptionContext {
  today: BusinessDate;
  /** When an approval happens (the injected clock). */
  now: Date;
  /** The actor holds customers.approve_exemption. */
  canApprove: boolean;
}

const view = (row: TaxExemptionRow, today: BusinessDate): TaxExemptionView => ({ ...row, effectiveStatus: effectiveExemptionStatus(row, today) });

/** Newest first: the first non-withdrawn one is the account's current certificate. */
export async function exemptionsOfAccount(db: DbOrTx, accountId: string, today: BusinessDate): Promise<TaxExemptionView[]> {
  const rows = await db.select().from(taxExemptions).where(eq(taxExemptions.accountId, accountId)).orderBy(desc(taxExemptions.createdAt), desc(taxExemptions.id));
  return rows.map((r) => view(r, today));
}

export async function getExemption(db: DbOrTx, id: string, today: BusinessDate): Promise<TaxExemptionView> {
  if (!isUuid(id)) throw new NotFoundError('Tax exemption');
  const [row] = await db.select().from(taxExemptions).where(eq(taxExemptions.id, id));
  if (!row) throw new NotFoundError('Tax exemption');
  return view(row, today);
}

const NEEDS_PERMISSION = 'Approving a tax exemption needs the customers.approve_exemption permission. Save it as pending and ask a manager.';

function assertApprovable(fields: { certificateNumber: string; expiresOn: string | null }, today: BusinessDate) {
  const errors: Record<string, string> = {};
  if (!fields.certificateNumber) errors.certificate_number = 'An approved exemption needs the certificate number.';
  if (!fields.expiresOn) errors.expires_on = 'An approved exemption needs the expiry date.';
  else if (fields.expiresOn < today) errors.expires_on = `This certificate expired on ${fields.expiresOn}; it can't be approved. Record the renewed certificate instead.`;
  if (Object.keys(errors).length) throw new ValidationError(errors);
}

export async function createExemption(tx: Tx, actor: Actor, accountId: string, input: TaxExemptionInput, ctx: ExemptionContext): Promise<TaxExemptionView> {
  const account = await getAccount(tx, accountId);
  const status = input.status ?? 'pending';
  const fields = { certificateNumber: input.certificate_number ?? '', expiresOn: input.expires_on ?? null };
  if (status === 'approved') {
    if (!ctx.canApprove) throw new ForbiddenError(NEEDS_PERMISSION);
    assertApprovable(fields, ctx.today);
  }
  const [row] = await tx
    .insert(taxExemptions)
    .values({
      accountId: account.id,
      ...fields,
      issuingState: input.issuing_state ?? '',
      notes: input.notes ?? '',
      status,
      approvedByUserId: status === 'approved' ? actor.userId : null,
      approvedAt: status === 'approved' ? ctx.now : null,
    })
    .returning();
  await recordAudit(tx, actor, { action: 'tax_exemption.create', entityType: 'tax_exemption', entityId: row.id, summary: `Recorded ${status} tax exemption ${row.certificateNumber || '(no number yet)'} for account #${account.number}`, after: row });
  return view(row, ctx.today);
}

async function lockExemption(tx: Tx, id: string, today: BusinessDate) {
  const before = await getExemption(tx, id, today);
  await tx.execute(sql`select 1 from ${taxExemptions} where ${taxExemptions.id} = ${id} for update`);
  return before;
}

export async function approveExemption(tx: Tx, actor: Actor, id: string, ctx: ExemptionContext): Promise<TaxExemptionView> {
  if (!ctx.canApprove) throw new ForbiddenError(NEEDS_PERMISSION);
  const before = await lockExemption(tx, id, ctx.today);
  if (before.status !== 'pending') throw new ConflictError(`Only a pending exemption can be approved; this one is ${before.effectiveStatus}.`);
  assertApprovable(before, ctx.today);
  const [row] = await tx.update(taxExemptions).set({ status: 'approved', approvedByUserId: actor.userId, approvedAt: ctx.now, updatedAt: sql`now()` }).where(eq(taxExemptions.id, id)).returning();
  await recordAudit(tx, actor, { action: 'tax_exemption.approve', entityType: 'tax_exemption', entityId: id, summary: `Approved tax exemption ${row.certificateNumber}`, before, after: row });
  return view(row, ctx.today);
}

/** Withdrawing keeps the certificate on file (status none) so the history stays readable. */
export async function withdrawExemption(tx: Tx, actor: Actor, id: string, ctx: ExemptionContext): Promise<TaxExemptionView> {
  const before = await lockExemption(tx, id, ctx.today);
  if (before.status === 'none') throw new ConflictError('This exemption was already withdrawn.');
  const [row] = await tx.update(taxExemptions).set({ status: 'none', updatedAt: sql`now()` }).where(eq(taxExemptions.id, id)).returning();
  await recordAudit(tx, actor, { action: 'tax_exemption.withdraw', entityType: 'tax_exemption', entityId: id, summary: `Withdrew tax exemption ${row.certificateNumber || '(no number)'}`, before, after: row });
  return view(row, ctx.today);
}
