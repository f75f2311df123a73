import type { Db, Tx } from '../../db/client';
import { ServiceError } from '../service-errors';
import { ApprovalRequiredError, type SaleContext } from '../sales/context';
import { discountLimitOf } from '../sales/checkout';
import { priceSale, type PricedSale } from '../sales/pricing';
import { applyTenders, type TenderKind, type TenderResult } from '../../domain/tenders';
import { STORED_APPROVAL_PIN, toSaleInput, type DraftData } from './draft';

/**
 * The running totals the screen shows are the sales core's own pricing (priceSale), computed in a transaction
 * that is always rolled back: the screen shows exactly what checkout will charge, tax included, and nothing is
 * written (priceSale only reads; it locks the units it prices until the rollback).
 */

class RolledBack<T> extends Error {
  constructor(public readonly value: T) {
    super('rolled back on purpose');
  }
}

/** Runs `work` in a transaction that is rolled back whatever happens; returns what it returned. */
export async function inRolledBackTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    await db.transaction(async (tx) => {
      throw new RolledBack(await work(tx));
    });
  } catch (err) {
    if (err instanceof RolledBack) return err.value as T;
    throw err;
  }
  throw new Error('unreachable');
}

/**
 * The counter context for this ticket: a manager's approval stored on the draft answers the approval request
 * priceSale/completeSale make (the stored approval only reaches them while its fingerprint matches, see
 * draft.ts). Any other request goes to the real PIN check.
 */
export function contextWithDraftApproval(sc: SaleContext, data: DraftData): SaleContext {
  return {
    ...sc,
    checkApproval: async (request, permission) => {
      if (request.pin !== STORED_APPROVAL_PIN) return sc.checkApproval(request, permission);
      const a = data.approval;
      if (!a || permission !== 'pos.discount.override' || a.username.toLowerCase() !== request.username.toLowerCase()) {
        throw new ApprovalRequiredError('A discount above your limit needs a manager\'s approval (PIN).', permission, []);
      }
      return { userId: a.user_id, label: a.label };
    },
  };
}

export interface TenderView {
  id: string;
  method: TenderKind;
  amountCents: number;
  appliedCents: number;
  changeCents: number;
  reference: string;
}

export interface DraftPreview {
  priced: PricedSale | null;
  /** Why the ticket can't be priced as it is (shown above the lines). */
  problem: { message: string; fields: Record<string, string> } | null;
  approval: { message: string; reasons: string[] } | null;
  tenders: TenderView[];
  tenderProblem: string | null;
  paidCents: number;
  changeCents: number;
  roundingCents: number;
  remainingCents: number;
  /** True when checkout can be pressed: priced, no problem, paid in full. */
  ready: boolean;
}

export function describeProblem(err: ServiceError): { message: string; fields: Record<string, string> } {
  const fieldMessages = Object.values(err.fields);
  const message = err.status === 422 && fieldMessages.length ? fieldMessages.join(' ') : err.message;
  return { message, fields: err.fields };
}

/** What the tenders on the ticket pay against `totalCents` (or why they can't). */
export function tenderState(data: DraftData, totalCents: number | null, cashRoundingCents: number) {
  const views: TenderView[] = data.tenders.map((t) => ({ id: t.id, method: t.method, amountCents: t.amount_cents, appliedCents: 0, changeCents: 0, reference: t.method === 'external_card' ? `•••• ${t.last4 ?? ''}${t.auth_code ? ` auth ${t.auth_code}` : ''}` : t.method === 'gift_card' ? (t.gift_card_number ?? '') : (t.reference ?? '') }));
  if (totalCents === null) return { views, applied: null as TenderResult | null, problem: null as string | null };
  try {
    const applied = applyTenders(totalCents, data.tenders.map((t) => ({ kind: t.method, amountCents: t.amount_cents })), { cashRoundingIncrementCents: cashRoundingCents });
    for (const a of applied.tenders) {
      views[a.index].appliedCents = a.appliedCents;
      views[a.index].changeCents = a.changeCents;
    }
    return { views, applied, problem: null };
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    const n = /^tender (\d+)/.exec(err.message);
    const which = n ? `Payment ${Number(n[1]) + 1}` : 'A payment';
    const reason = /nothing is left to pay/.test(err.message)
      ? 'comes after the total is already paid'
      : /more than the .* still due/.test(err.message)
        ? 'is more than what is due (only cash gives change)'
        : /multiple of/.test(err.message)
          ? `must be a multiple of ${formatIncrement(cashRoundingCents)} in cash`
          : 'is not valid';
    return { views, applied: null, problem: `${which} ${reason}: remove it.` };
  }
}

const formatIncrement = (c: number) => (c >= 100 ? `$${c / 100}` : `${c}¢`);

export async function previewDraft(db: Db, sc: SaleContext, data: DraftData, opts: { accountId: string | null; sessionId: string | null; cashRoundingCents: number }): Promise<DraftPreview> {
  const empty: DraftPreview = { priced: null, problem: null, approval: null, tenders: [], tenderProblem: null, paidCents: 0, changeCents: 0, roundingCents: 0, remainingCents: 0, ready: false };
  if (data.lines.length === 0) return { ...empty, tenders: tenderState(data, null, opts.cashRoundingCents).views };
  const ctx = contextWithDraftApproval(sc, data);
  const input = toSaleInput(data, { accountId: opts.accountId, sessionId: opts.sessionId, withTenders: false });
  let priced: PricedSale | null = null;
  let problem: DraftPreview['problem'] = null;
  let approval: DraftPreview['approval'] = null;
  try {
    priced = await inRolledBackTransaction(db, async (tx) => priceSale(tx, ctx, input, await discountLimitOf(tx, ctx)));
  } catch (err) {
    if (err instanceof ApprovalRequiredError) approval = { message: err.message, reasons: err.reasons };
    else if (err instanceof ServiceError) problem = describeProblem(err);
    else throw err;
  }
  if (approval) {
    // What the ticket will cost once approved (shown as pending; nothing can be paid or completed until then).
    const pending: SaleContext = { ...ctx, checkApproval: async () => ({ userId: null, label: '' }) };
    const pendingInput = { ...input, approval: { username: 'pending', pin: 'pending' } };
    priced = await inRolledBackTransaction(db, async (tx) => priceSale(tx, pending, pendingInput, await discountLimitOf(tx, ctx))).catch((err) => {
      if (err instanceof ServiceError) return null;
      throw err;
    });
  }
  const t = tenderState(data, priced?.totalCents ?? null, opts.cashRoundingCents);
  const applied = t.applied;
  return {
    priced,
    problem,
    approval,
    tenders: t.views,
    tenderProblem: t.problem,
    paidCents: applied?.appliedCents ?? 0,
    changeCents: applied?.changeCents ?? 0,
    roundingCents: applied?.roundingCents ?? 0,
    remainingCents: applied ? applied.remainingCents : priced ? priced.totalCents : 0,
    ready: !!priced && !problem && !approval && !!applied && applied.remainingCents === 0 && !t.problem,
  };
}
