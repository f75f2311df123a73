import { describe, expect, test } from 'bun:test';
import { effectiveExemptionStatus } from './exemption-status';

describe('effectiveExemptionStatus', () => {
  const today = '2026-11-24';
  test('an approved certificate is valid through its expiry date and expired the day after', () => {
    expect(effectiveExemptionStatus({ status: 'approved', expiresOn: '2026-11-24' }, today)).toBe('approved');
    expect(effectiveExemptionStatus({ status: 'approved', expiresOn: '2026-11-23' }, today)).toBe('expired');
  });
  test('pending and withdrawn certificates keep their status whatever the date', () => {
    expect(effectiveExemptionStatus({ status: 'pending', expiresOn: '2020-01-01' }, today)).toBe('pending');
    expect(effectiveExemptionStatus({ status: 'none', expiresOn: '2020-01-01' }, today)).toBe('none');
  });
});
