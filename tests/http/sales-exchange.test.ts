import { beforeEach, describe, expect, test } from 'bun:test';
import { balanceOf, countRows, entryFor, netByAccount, posFixture, type PosFixture } from '../pos/fixture';

let f: PosFixture;
beforeEach(async () => {
  f = await posFixture();
});

describe('exchanges', () => {
  test('return the tuner and take two packs of strings instead: two documents in one transaction, cash settles the difference', async () => {
    const sale = (await f.api('POST', '/api/v1/sales', { register_session_id: f.sessionId, lines: [{ product_id: f.tuner.id, quantity: 1 }], tenders: [{ method: 'cash', amount_cents: 3000 }] })).json();
    expect(sale.total_cents).toBe(2495 + 221);
    const res = await f.api('POST', `/api/v1/sales/${sale.id}/exchange`, {
      return: { register_session_id: f.sessionId, lines: [{ line_id: sale.lines[0].id, quantity: 1 }] },
      sale: { lines: [{ product_id: f.strings.id, quantity: 2 }], tenders: [{ method: 'cash', amount_cents: 2000 }] },
    });
    expect(res.status).toBe(201);
    const { return: ret, sale: next } = res.json();
    expect(ret).toMatchObject({ number: 'R-000001', refund_cents: 2716 });
    expect(next).toMatchObject({ number: 'S-000002', total_cents: 1798 + 160, change_cents: 2000 - 1958 });
    expect(netByAccount(await entryFor(f.t, ret.id))).toMatchObject({ returns: 2495, sales_tax_payable: 221, cash_drawer: -2716 });
    expect(netByAccount(await entryFor(f.t, next.id))).toMatchObject({ sales: -1798, sales_tax_payable: -160, cash_drawer: 1958 });
    // Drawer: float + 3000 − 284 change − 2716 refund + 2000 − 42 change.
    expect((await f.api('GET', `/api/v1/register-sessions/${f.sessionId}`)).json().expected.cash_cents).toBe(15000 + 2716 - 2716 + 1958);
    expect(await balanceOf(f.t, 'cash_drawer')).toBe(15000 + 1958);
  });

  test('if the new sale fails, the return is not written either', async () => {
    const sale = (await f.api('POST', '/api/v1/sales', { register_session_id: f.sessionId, lines: [{ product_id: f.tuner.id, quantity: 1 }], tenders: [{ method: 'cash', amount_cents: 3000 }] })).json();
    const before = { sales: await countRows(f.t, 'sales'), entries: await countRows(f.t, 'journal_entries'), moves: await countRows(f.t, 'drawer_movements') };
    const res = await f.api('POST', `/api/v1/sales/${sale.id}/exchange`, {
      return: { register_session_id: f.sessionId, lines: [{ line_id: sale.lines[0].id, quantity: 1 }] },
      sale: { lines: [{ product_id: f.strings.id, quantity: 2 }], tenders: [{ method: 'cash', amount_cents: 100 }] },
    });
    expect(res.status).toBe(422);
    expect(res.json().error.fields.tenders).toContain('still due');
    expect({ sales: await countRows(f.t, 'sales'), entries: await countRows(f.t, 'journal_entries'), moves: await countRows(f.t, 'drawer_movements') }).toEqual(before);
  });
});
