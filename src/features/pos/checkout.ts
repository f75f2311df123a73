import { and, eq } from 'drizzle-orm';
import { drawerSessions, saleDrafts } from '../../db/schema';
import type { Db } from '../../db/client';
import { isUuid } from '../../db/sql-helpers';
import { runIdempotent } from '../api/idempotency';
import { ConflictError, ValidationError } from '../service-errors';
import type { SaleContext } from '../sales/context';
import { completeSale } from '../sales/checkout';
import { parseDraftData, toSaleInput } from './draft';
import { contextWithDraftApproval } from './preview';

/**
 * Checkout of the screen's ticket: the draft goes to completeSale with its tenders, then the draft row is
 * deleted — in one transaction. The form carries the draft's one-time checkout_key, and the whole thing runs
 * through runIdempotent with scope `draft:<draftId>`: a double click, a resubmission or a retry after a lost
 * response replays the first answer (the same sale) instead of ringing it up twice. A refused checkout rolls
 * back entirely (the key too), so the cashier fixes the ticket and presses Complete again.
 */

export const CHECKOUT_PATH = '/pos/checkout';

export interface CheckoutRequest {
  draftId: string;
  checkoutKey: string;
  registerId: string;
}

export async function checkoutDraft(db: Db, sc: SaleContext, req: CheckoutRequest): Promise<{ saleId: string; replayed: boolean }> {
  if (!isUuid(req.draftId) || !/^[\x21-\x7e]{1,200}$/.test(req.checkoutKey)) throw new ConflictError('This checkout form is out of date: reload the sale screen.');
  const response = await runIdempotent(db, { scope: `draft:${req.draftId}`, method: 'POST', path: CHECKOUT_PATH, key: req.checkoutKey }, { draft_id: req.draftId, checkout_key: req.checkoutKey }, async (tx) => {
    const [draft] = await tx.select().from(saleDrafts).where(eq(saleDrafts.id, req.draftId)).for('update');
    if (!draft) throw new ConflictError('This sale was already completed or cleared.');
    if (draft.status !== 'active' || draft.createdByUserId !== sc.actor.userId || draft.registerId !== req.registerId) throw new ConflictError('This sale is not the one open on this register for you: reload the sale screen.');
    if (draft.checkoutKey !== req.checkoutKey) throw new ConflictError('The sale changed since this page was shown: check it and press Complete again.');
    const data = parseDraftData(draft.data);
    if (data.lines.length === 0) throw new ValidationError({ lines: 'Nothing to sell yet: scan or add an item first.' });
    const [session] = await tx
      .select({ id: drawerSessions.id })
      .from(drawerSessions)
      .where(and(eq(drawerSessions.registerId, req.registerId), eq(drawerSessions.status, 'open')));
    if (!session) throw new ConflictError('The drawer of this register is closed: open it on the Registers page before completing the sale.', { register: 'The drawer is closed.' });
    const input = toSaleInput(data, { accountId: draft.accountId, sessionId: session.id, withTenders: true });
    const saleId = await completeSale(tx, contextWithDraftApproval(sc, data), input);
    await tx.delete(saleDrafts).where(eq(saleDrafts.id, draft.id));
    return { status: 303, body: { sale_id: saleId } };
  });
  return { saleId: (response.body as { sale_id: string }).sale_id, replayed: response.replayed };
}
