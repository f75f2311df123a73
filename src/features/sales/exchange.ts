import type { Tx } from '../../db/client';
import { ValidationError } from '../service-errors';
import type { SaleContext } from './context';
import { completeSale } from './checkout';
import { createReturn } from './returns';
import { findSale } from './queries';
import type { ReturnInput, SaleInput } from './schemas';

/**
 * An exchange (pos.md "Exchanges = return + sale in one transaction"): the return of lines of an earlier sale
 * and a new sale, committed together or not at all. Each is its own document with its own journal entry
 * (R- and S- numbers); the refund goes back by the return's tender rule and the new sale is paid by its own
 * tenders, so at the counter the cashier settles only the difference in cash (the drawer sees both
 * movements). Why two documents: tax.ts refuses a sale line and a return line of the same class in one
 * document (no largest-remainder split keeps both signs), and returns must refund exactly what was recorded.
 */
export async function createExchange(tx: Tx, ctx: SaleContext, saleIdOrNumber: string, input: { return: ReturnInput; sale: SaleInput }): Promise<{ returnId: string; saleId: string }> {
  const original = await findSale(tx, saleIdOrNumber);
  if (input.sale.account_id && original.accountId && input.sale.account_id !== original.accountId) {
    throw new ValidationError({ 'sale.account_id': 'An exchange stays on the original sale\'s account.' });
  }
  const returnId = await createReturn(tx, ctx, original.id, input.return);
  const saleId = await completeSale(tx, ctx, { ...input.sale, account_id: input.sale.account_id ?? original.accountId ?? undefined, register_session_id: input.sale.register_session_id ?? input.return.register_session_id });
  return { returnId, saleId };
}
