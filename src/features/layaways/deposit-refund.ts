import { drawerMovements } from '../../db/schema';
import type { Tx } from '../../db/client';
import { postEntry, type JournalEntry } from '../ledger/journal';
import { formatCents } from '../../domain/money';
import { approverFor, type ApprovalRequest, type Approver, type SaleContext } from '../sales/context';
import { openSessionFor } from '../sales/checkout';
import { changeStoreCredit, type StoreCreditKind } from '../sales/stored-value';
import type { DepositRefundMethod } from './schemas';

/**
 * Gives back customer deposits held for something cancelled (a layaway, a special order). The core's counter
 * documents can't carry a negative payment, so this posts its own entry with explicit lines:
 *  - store credit (the default): Dr Customer deposits / Cr Store credit liability, plus a store-credit entry;
 *  - cash: Dr Customer deposits / Cr Cash in drawers, plus a refund_cash movement of an open drawer session
 *    (so the drawer's expected cash drops); a cash refund needs pos.refund or a manager's PIN.
 * Both sides name the customer. Nothing is posted when no deposit was paid.
 */
export interface DepositRefund {
  method: DepositRefundMethod;
  amountCents: number;
  accountId: string;
  sourceType: 'layaway' | 'special_order';
  sourceId: string;
  /** Store-credit ledger kind (layaway_cancel for layaways). */
  storeCreditKind: StoreCreditKind;
  memo: string;
  registerSessionId?: string | null;
  approval?: ApprovalRequest;
}

export interface DepositRefundResult {
  entry: JournalEntry | null;
  approver: Approver | null;
}

export async function refundCustomerDeposit(tx: Tx, sc: SaleContext, r: DepositRefund): Promise<DepositRefundResult> {
  if (r.amountCents <= 0) return { entry: null, approver: null };
  const party = { type: 'customer' as const, id: r.accountId };
  if (r.method === 'store_credit') {
    await changeStoreCredit(tx, sc.actor, r.accountId, r.amountCents, r.storeCreditKind, { sourceType: r.sourceType, sourceId: r.sourceId, memo: r.memo });
    const entry = await postEntry(tx, sc.actor, {
      eventType: `${r.sourceType}_cancel`,
      date: sc.today,
      sourceType: r.sourceType,
      sourceId: r.sourceId,
      memo: `${r.memo}: deposits to store credit`,
      lines: [
        { accountKey: 'customer_deposits', debitCents: r.amountCents, memo: r.memo, party },
        { accountKey: 'store_credit_liability', creditCents: r.amountCents, memo: `${r.memo}: store credit`, party },
      ],
    });
    return { entry, approver: null };
  }
  const approver = await approverFor(sc, 'pos.refund', r.approval, `A cash refund of ${formatCents(r.amountCents)}`, ['cash_refund']);
  const session = (await openSessionFor(tx, r.registerSessionId, true))!;
  const entry = await postEntry(tx, sc.actor, {
    eventType: `${r.sourceType}_cancel`,
    date: sc.today,
    sourceType: r.sourceType,
    sourceId: r.sourceId,
    memo: `${r.memo}: deposits refunded in cash`,
    lines: [
      { accountKey: 'customer_deposits', debitCents: r.amountCents, memo: r.memo, party },
      { accountKey: 'cash_drawer', creditCents: r.amountCents, memo: `${r.memo}: cash refund` },
    ],
  });
  await tx.insert(drawerMovements).values({ sessionId: session.id, kind: 'refund_cash', amountCents: r.amountCents, reason: r.memo.slice(0, 500), sourceType: r.sourceType, sourceId: r.sourceId, journalEntryId: entry.id, byUserId: sc.actor.userId, byLabel: sc.actor.label });
  return { entry, approver };
}
