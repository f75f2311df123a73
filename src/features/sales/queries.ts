import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { accounts, saleDiscounts, saleLines, sales, saleTaxes, saleTenders } from '../../db/schema';
import type { DbOrTx } from '../../db/client';
import { isUuid } from '../../db/sql-helpers';
import { NotFoundError } from '../service-errors';

export type Sale = typeof sales.$inferSelect;
export type SaleLine = typeof saleLines.$inferSelect;
export type SaleTender = typeof saleTenders.$inferSelect;

export interface SaleView {
  sale: Sale;
  accountName: string | null;
  accountNumber: string | null;
  lines: (SaleLine & { returnedQuantity: number })[];
  tenders: SaleTender[];
  taxes: (typeof saleTaxes.$inferSelect)[];
  discounts: (typeof saleDiscounts.$inferSelect)[];
  /** Returns made from this sale (numbers and totals). */
  returns: { id: string; number: string; totalCents: number; status: string }[];
  originalNumber: string | null;
}

/** A sale by id or by its number (S-000123, R-000001, P-000001, as scanned from a receipt). */
export async function findSale(db: DbOrTx, idOrNumber: string, opts: { lock?: boolean } = {}): Promise<Sale> {
  const text = idOrNumber.trim().toUpperCase();
  const where = isUuid(idOrNumber) ? eq(sales.id, idOrNumber) : /^[SRP]-\d{6,}$/.test(text) ? eq(sales.number, text) : null;
  if (!where) throw new NotFoundError('Sale');
  const q = db.select().from(sales).where(where);
  const [row] = opts.lock ? await q.for('update') : await q;
  if (!row) throw new NotFoundError('Sale');
  return row;
}

/** Quantity of each line already returned by completed (not voided) returns. */
export async function returnedQuantities(db: DbOrTx, lineIds: string[]): Promise<Map<string, number>> {
  if (lineIds.length === 0) return new Map();
  const rows = await db
    .select({ id: saleLines.originalLineId, q: sql<number>`sum(${saleLines.quantity})::int` })
    .from(saleLines)
    .innerJoin(sales, eq(sales.id, saleLines.saleId))
    .where(and(inArray(saleLines.originalLineId, lineIds), eq(sales.status, 'completed')))
    .groupBy(saleLines.originalLineId);
  return new Map(rows.map((r) => [r.id!, r.q]));
}

export async function saleView(db: DbOrTx, idOrNumber: string): Promise<SaleView> {
  const sale = await findSale(db, idOrNumber);
  const [lines, tenders, taxes, discounts, acct, rets, orig] = await Promise.all([
    db.select().from(saleLines).where(eq(saleLines.saleId, sale.id)).orderBy(asc(saleLines.lineNo)),
    db.select().from(saleTenders).where(eq(saleTenders.saleId, sale.id)).orderBy(asc(saleTenders.seq)),
    db.select().from(saleTaxes).where(eq(saleTaxes.saleId, sale.id)),
    db.select().from(saleDiscounts).where(eq(saleDiscounts.saleId, sale.id)),
    sale.accountId ? db.select({ name: accounts.name, number: accounts.number }).from(accounts).where(eq(accounts.id, sale.accountId)) : Promise.resolve([]),
    db.select({ id: sales.id, number: sales.number, totalCents: sales.totalCents, status: sales.status }).from(sales).where(eq(sales.originalSaleId, sale.id)).orderBy(desc(sales.createdAt)),
    sale.originalSaleId ? db.select({ number: sales.number }).from(sales).where(eq(sales.id, sale.originalSaleId)) : Promise.resolve([]),
  ]);
  const returned = await returnedQuantities(db, lines.map((l) => l.id));
  return {
    sale,
    accountName: acct[0]?.name ?? null,
    accountNumber: acct[0]?.number ?? null,
    lines: lines.map((l) => ({ ...l, returnedQuantity: returned.get(l.id) ?? 0 })),
    tenders,
    taxes,
    discounts,
    returns: rets,
    originalNumber: orig[0]?.number ?? null,
  };
}

/** JSON of a counter document (api.md: id, number, subtotal/discount/tax/total/change, lines[]). */
export function saleJson(v: SaleView) {
  const s = v.sale;
  return {
    id: s.id,
    number: s.number,
    kind: s.kind,
    status: s.status,
    account_id: s.accountId,
    register_session_id: s.registerSessionId,
    original_sale_id: s.originalSaleId,
    business_date: s.businessDate,
    subtotal_cents: s.grossCents,
    discount_cents: s.discountCents,
    net_cents: s.netCents,
    tax_cents: s.taxCents,
    total_cents: s.totalCents,
    refund_cents: s.kind === 'return' ? -s.totalCents : 0,
    change_cents: s.changeCents,
    rounding_cents: s.roundingCents,
    tax_exempt_certificate: s.taxExemptCertificate,
    cashier: s.cashierLabel,
    voided_at: s.voidedAt?.toISOString() ?? null,
    void_reason: s.voidReason,
    created_at: s.createdAt.toISOString(),
    lines: v.lines.map((l) => ({
      id: l.id,
      kind: l.kind,
      product_id: l.productId,
      unit_id: l.unitId,
      description: l.description,
      sku: l.sku,
      quantity: l.quantity,
      unit_price_cents: l.unitPriceCents,
      gross_cents: l.grossCents,
      discount_cents: l.lineDiscountCents + l.orderDiscountCents,
      net_cents: l.netCents,
      tax_cents: l.taxCents,
      returned_quantity: l.returnedQuantity,
      original_line_id: l.originalLineId,
      restock: l.restock,
    })),
    tenders: v.tenders.map((t) => ({ id: t.id, method: t.method, amount_cents: t.amountCents, tendered_cents: t.tenderedCents, change_cents: t.changeCents, reference: t.reference })),
    taxes: v.taxes.map((t) => ({ tax_class: t.className, component: t.componentName, rate_millipercent: t.rateMillipercent, net_cents: t.netCents, tax_cents: t.taxCents })),
    discounts: v.discounts.map((d) => ({ label: d.label, kind: d.kind, amount_cents: d.amountCents, applied_by: d.appliedByLabel, approved_by: d.approvedByLabel, reasons: d.approvalReasons })),
    returns: v.returns.map((r) => ({ id: r.id, number: r.number, refund_cents: -r.totalCents, status: r.status })),
  };
}
