import { and, eq, gt, lt, sql } from 'drizzle-orm';
import { accounts, invoices } from '../../db/schema';
import type { DbOrTx } from '../../db/client';
import type { BusinessDate } from '../../domain/business-date';
import { formatCents } from '../../domain/money';
import { activeExemption } from '../sales/pricing';
import { openReceivableCents } from '../sales/invoices';
import { storeCreditBalance } from '../sales/stored-value';
import { exemptionsOfAccount } from '../customers/tax-exemptions';

/**
 * The customer panel of the sale screen (pos.md: balance, store credit, tax exemption, alerts). Rentals are not
 * built yet, so the alerts are the ones the data has today: past-due invoices, a credit limit reached, an
 * expired or pending exemption certificate, an inactive account.
 */

export interface PosCustomer {
  id: string;
  number: string;
  name: string;
  type: string;
  phone: string | null;
  email: string | null;
  isActive: boolean;
  chargeAllowed: boolean;
  creditLimitCents: number;
  balanceCents: number;
  storeCreditCents: number;
  exemptCertificate: string | null;
  alerts: { tone: 'danger' | 'warning' | 'info'; text: string }[];
}

export async function posCustomer(db: DbOrTx, accountId: string, today: BusinessDate): Promise<PosCustomer | null> {
  const [a] = await db.select().from(accounts).where(eq(accounts.id, accountId));
  if (!a) return null;
  const [balanceCents, storeCreditCents, exemptCertificate, exemptions, [overdue]] = await Promise.all([
    openReceivableCents(db, a.id),
    storeCreditBalance(db, a.id),
    activeExemption(db, a.id, today),
    exemptionsOfAccount(db, a.id, today),
    db
      .select({ n: sql<number>`count(*)::int`, cents: sql<string>`coalesce(sum(${invoices.balanceCents}), 0)` })
      .from(invoices)
      .where(and(eq(invoices.accountId, a.id), gt(invoices.balanceCents, 0), lt(invoices.dueOn, today))),
  ]);
  const alerts: PosCustomer['alerts'] = [];
  if (!a.isActive) alerts.push({ tone: 'danger', text: 'This account is inactive.' });
  if (overdue.n > 0) alerts.push({ tone: 'danger', text: `${overdue.n} past-due invoice${overdue.n === 1 ? '' : 's'}: ${formatCents(Number(overdue.cents))}.` });
  if (a.chargeAllowed && balanceCents >= a.creditLimitCents) alerts.push({ tone: 'warning', text: `At the credit limit (${formatCents(a.creditLimitCents)}).` });
  if (!exemptCertificate) {
    const latest = exemptions.find((e) => e.effectiveStatus !== 'none');
    if (latest?.effectiveStatus === 'expired') alerts.push({ tone: 'warning', text: `Tax exemption certificate ${latest.certificateNumber} expired on ${latest.expiresOn}: tax is charged.` });
    else if (latest?.effectiveStatus === 'pending') alerts.push({ tone: 'info', text: 'A tax exemption certificate is pending approval: tax is charged until it is approved.' });
  }
  return {
    id: a.id,
    number: a.number,
    name: a.name,
    type: a.type,
    phone: a.phone,
    email: a.email,
    isActive: a.isActive,
    chargeAllowed: a.chargeAllowed,
    creditLimitCents: a.creditLimitCents,
    balanceCents,
    storeCreditCents,
    exemptCertificate,
    alerts,
  };
}
