import { describe, expect, test } from 'bun:test';
import { PHONE_PATTERN, phoneDigits } from './phone';

describe('phoneDigits', () => {
  test('keeps digits only, like the phone_digits column', () => {
    expect(phoneDigits('(555) 010-2000')).toBe('5550102000');
    expect(phoneDigits('555.010.2000')).toBe('5550102000');
    expect(phoneDigits('+1 555 010 2000')).toBe('15550102000');
  });
  test('empty or digitless input is null', () => {
    expect(phoneDigits('')).toBeNull();
    expect(phoneDigits(null)).toBeNull();
    expect(phoneDigits(' - ')).toBeNull();
  });
});

describe('PHONE_PATTERN', () => {
  test('accepts the usual ways of writing a number', () => {
    for (const ok of ['(555) 010-2000', '+1 555 010 2000', '555.010.2000', '555-0102 x12', '555 0102 ext. 4']) expect(PHONE_PATTERN.test(ok)).toBe(true);
  });
  test('rejects letters and other characters', () => {
    for (const bad of ['call me', '555-CALL', '555/0102', '555;drop']) expect(PHONE_PATTERN.test(bad)).toBe(false);
  });
});
