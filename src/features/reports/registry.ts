import type { DbOrTx } from '../../db/client';
import type { ReportPeriod, ReportResult } from './model';
import { dailySalesReport } from './daily-sales';
import { salesTaxReport } from './sales-tax';
import { discountsReport } from './discounts';
import { returnsReport } from './returns';
import { drawerVarianceReport } from './drawer-variance';
import { giftCardLiabilityReport } from './gift-card-liability';
import { storeCreditLiabilityReport } from './store-credit-liability';
import { arAgingReport } from './ar-aging';

/** The reports of /reports and GET /api/v1/reports/{name}, in the order the index lists them. */
export interface ReportDefinition {
  name: string;
  title: string;
  description: string;
  group: 'Sales' | 'Cash' | 'Balances';
  period: ReportPeriod['kind'];
  run(db: DbOrTx, period: ReportPeriod, today: string): Promise<ReportResult>;
}

const range = (p: ReportPeriod) => {
  if (p.kind !== 'range') throw new Error('report needs a date range');
  return p;
};
const asOf = (p: ReportPeriod) => {
  if (p.kind !== 'as_of') throw new Error('report needs an as-of date');
  return p.asOf;
};

export const REPORTS: ReportDefinition[] = [
  { name: 'daily-sales', title: 'Daily sales summary', group: 'Sales', period: 'range', description: 'Sales, discounts, returns and tax by category, tender, tax class and cashier; gift cards, payments on account and deposits apart.', run: (db, p) => dailySalesReport(db, range(p)) },
  { name: 'sales-tax', title: 'Sales tax liability', group: 'Sales', period: 'range', description: 'Taxable sales and tax by jurisdiction component with returns netted; exempt sales with their certificates.', run: (db, p) => salesTaxReport(db, range(p)) },
  { name: 'discounts', title: 'Discounts and approvals', group: 'Sales', period: 'range', description: 'Every discount given, who gave it and which manager approved it; totals per person.', run: (db, p) => discountsReport(db, range(p)) },
  { name: 'returns', title: 'Returns', group: 'Sales', period: 'range', description: 'Returns with the original sale, refund tenders, restocked or damaged goods and the approving manager.', run: (db, p) => returnsReport(db, range(p)) },
  { name: 'drawer-variance', title: 'Drawer over/short', group: 'Cash', period: 'range', description: 'Over and short per person who closed a drawer, and every closed session.', run: (db, p) => drawerVarianceReport(db, range(p)) },
  { name: 'ar-aging', title: 'AR aging', group: 'Balances', period: 'as_of', description: 'Open house-account invoices by days past due (current, 1–30, 31–60, 61–90, over 90), checked against the journal.', run: (db, p, today) => arAgingReport(db, asOf(p), today) },
  { name: 'gift-card-liability', title: 'Gift card liability', group: 'Balances', period: 'as_of', description: 'Balance of every gift card on a day, checked against the Gift card liability account.', run: (db, p) => giftCardLiabilityReport(db, asOf(p)) },
  { name: 'store-credit-liability', title: 'Store credit liability', group: 'Balances', period: 'as_of', description: 'Store credit of every account on a day, checked against the Store credit liability account.', run: (db, p) => storeCreditLiabilityReport(db, asOf(p)) },
];

export const findReport = (name: string) => REPORTS.find((r) => r.name === name) ?? null;
