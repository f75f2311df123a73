import type { BusinessDate } from '../../domain/business-date';

export type ExemptionStatus = 'none' | 'pending' | 'approved' | 'expired';

/**
 * The status a certificate has today. An approved certificate stops exempting the day after its expiry
 * date without anyone touching the row (spec: "an expired certificate stops exemption automatically"), so
 * `expired` is computed at read time from the store's business date rather than written by a job.
 */
export function effectiveExemptionStatus(row: { status: string; expiresOn: string | null }, today: BusinessDate): ExemptionStatus {
  if (row.status === 'approved' && row.expiresOn !== null && row.expiresOn < today) return 'expired';
  return row.status as ExemptionStatus;
}
