import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { sales, saleTenders } from '../../db/schema';
import type { DbOrTx } from '../../db/client';
import { refundForReturn } from '../../domain/returns';
import { defaultRefundTenders, type TenderKind } from '../../domain/tenders';
import type { DocLine } from './documents';
import { tenderLabel } from './documents';

/**
 * What a return would refund, shown before anything is written: each chosen line's prorated net and tax
 * (src/domain/returns.ts, the same rule createReturn applies) and the default refund split — the original
 * tenders in reverse order, each capped at what it paid less earlier refunds (src/domain/tenders.ts). The
 * return itself is only made by createReturn on submit; this is the page's preview of its default.
 */

export interface ReturnChoice {
  lineId: string;
  quantity: number;
}

export interface ReturnPreview {
  lines: { lineId: string; description: string; quantity: number; netCents: number; taxCents: number; totalCents: number }[];
  netCents: number;
  taxCents: number;
  refundCents: number;
  /** The default refund tenders, or null when the original tenders can't take it all back. */
  split: { method: string; label: string; reference: string; amountCents: number }[] | null;
  splitProblem: string | null;
}

export async function previewReturn(db: DbOrTx, saleId: string, lines: DocLine[], choices: ReturnChoice[]): Promise<ReturnPreview> {
  const out: ReturnPreview['lines'] = [];
  for (const c of choices) {
    const line = lines.find((l) => l.id === c.lineId);
    if (!line || c.quantity <= 0 || c.quantity > line.returnableQuantity) continue;
    const r = refundForReturn({ quantity: line.quantity, netCents: line.netCents, taxCents: line.taxCents, costCents: null, returnedQuantity: line.returnedQuantity }, c.quantity);
    out.push({ lineId: line.id, description: line.description, quantity: c.quantity, netCents: r.netCents, taxCents: r.taxCents, totalCents: r.totalCents });
  }
  const netCents = out.reduce((s, l) => s + l.netCents, 0);
  const taxCents = out.reduce((s, l) => s + l.taxCents, 0);
  const refundCents = netCents + taxCents;

  const tenders = await db.select().from(saleTenders).where(eq(saleTenders.saleId, saleId)).orderBy(asc(saleTenders.seq));
  const refundedRows = tenders.length
    ? await db
        .select({ id: saleTenders.originalTenderId, s: sql<string>`sum(-${saleTenders.amountCents})` })
        .from(saleTenders)
        .innerJoin(sales, eq(sales.id, saleTenders.saleId))
        .where(and(inArray(saleTenders.originalTenderId, tenders.map((t) => t.id)), eq(sales.status, 'completed')))
        .groupBy(saleTenders.originalTenderId)
    : [];
  const refunded = new Map(refundedRows.map((r) => [r.id!, Number(r.s)]));
  const paid = tenders.map((t) => ({ kind: t.method as TenderKind, paidCents: t.amountCents, refundedCents: Math.min(t.amountCents, refunded.get(t.id) ?? 0) }));
  let split: ReturnPreview['split'] = null;
  let splitProblem: string | null = null;
  try {
    split = defaultRefundTenders(refundCents, paid).map((p) => {
      const t = tenders[p.index];
      return { method: t.method, label: tenderLabel(t.method, -p.amountCents), reference: t.last4 ? `•••• ${t.last4}` : t.reference, amountCents: p.amountCents };
    });
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    splitProblem = 'The original tenders can take back only part of this refund; a manager must choose store credit or cash.';
  }
  return { lines: out, netCents, taxCents, refundCents, split, splitProblem };
}
