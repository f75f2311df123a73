import { z } from 'zod';
import type { StaffView } from './service';

/** A staff user as /api/v1/staff returns it (api.md: snake_case, ISO timestamps, no hashes). */
export const staffOut = z.object({
  id: z.uuid(),
  username: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  active: z.boolean(),
  has_pin: z.boolean(),
  /** Five wrong PIN tries in a row; setting a new PIN (PATCH pin) or a password sign-in unlocks it. */
  pin_locked: z.boolean(),
  /** Largest discount without a manager's PIN, thousandths of a percent (10% = 10000); ignored for pos.discount.override. */
  discount_limit_millipercent: z.number().int(),
  roles: z.array(z.object({ id: z.uuid(), key: z.string(), name: z.string() })),
  last_login_at: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});

export const toStaffJson = (s: StaffView): z.infer<typeof staffOut> => ({
  id: s.id,
  username: s.username,
  name: s.name,
  email: s.email,
  active: s.active,
  has_pin: s.hasPin,
  pin_locked: s.pinLocked,
  discount_limit_millipercent: s.discountLimitMillipercent,
  roles: s.roles,
  last_login_at: s.lastLoginAt?.toISOString() ?? null,
  created_at: s.createdAt.toISOString(),
  updated_at: s.updatedAt.toISOString(),
});
