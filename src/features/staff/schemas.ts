import { z } from 'zod';
import { isPermission } from '../auth/permissions';
import { MILLIPERCENT_PER_WHOLE, parseRateToMillipercent } from '../../domain/rounding';

const trimmed = (max: number, label: string) => z.string({ error: `${label} is required.` }).trim().max(max, `${label} must be at most ${max} characters.`);

export const usernameSchema = trimmed(40, 'Username')
  .min(3, 'Username must be at least 3 characters.')
  .regex(/^[A-Za-z0-9._-]+$/, 'Use letters, digits, dot, dash or underscore only.');
export const personNameSchema = trimmed(100, 'Name').min(1, 'Name is required.');
export const passwordSchema = z
  .string({ error: 'Password is required.' })
  .min(10, 'Password must be at least 10 characters.')
  .max(200, 'Password must be at most 200 characters.');
export const optionalEmailSchema = z
  .string()
  .trim()
  .max(200, 'Email must be at most 200 characters.')
  .optional()
  .nullable()
  .transform((v) => (v ? v : null))
  .refine((v) => v === null || z.email().safeParse(v).success, 'Enter a valid email address.');
export const pinSchema = z
  .string()
  .trim()
  .optional()
  .nullable()
  .transform((v) => (v ? v : null))
  .refine((v) => v === null || /^\d{4,6}$/.test(v), 'PIN must be 4 to 6 digits.');

/** Largest discount a user gives without a manager's PIN, in thousandths of a percent (10% = 10000). */
export const DEFAULT_DISCOUNT_LIMIT_MILLIPERCENT = 10_000;
const DISCOUNT_LIMIT_MESSAGE = `discount_limit_millipercent must be a whole number from 0 to ${MILLIPERCENT_PER_WHOLE} (12.5% = 12500).`;
const discountLimitSchema = z
  .number({ error: DISCOUNT_LIMIT_MESSAGE })
  .int(DISCOUNT_LIMIT_MESSAGE)
  .min(0, DISCOUNT_LIMIT_MESSAGE)
  .max(MILLIPERCENT_PER_WHOLE, DISCOUNT_LIMIT_MESSAGE);

/**
 * The form's "Discount limit (%)" field: "12.5" or "12.5%" -> 12500. Blank means "keep" (edit) or the
 * default (create). Returns the millipercent, undefined for blank, or an error message.
 */
export function parseDiscountLimitPercent(value: string): { value: number | undefined } | { error: string } {
  const text = value.trim().replace(/\s*%$/, '');
  if (text === '') return { value: undefined };
  const parsed = parseRateToMillipercent(text);
  if (parsed === null) return { error: 'Enter a percentage from 0 to 100 with up to 3 decimals, e.g. 12.5.' };
  return { value: parsed };
}

const roleIdList = z
  .array(z.uuid('Unknown role.'), { error: 'Roles must be a list.' })
  .min(1, 'Pick at least one role.')
  .max(20, 'Too many roles.');

export const createStaffSchema = z.object({
  username: usernameSchema,
  name: personNameSchema,
  email: optionalEmailSchema,
  password: passwordSchema,
  pin: pinSchema,
  role_ids: roleIdList,
  discount_limit_millipercent: discountLimitSchema.optional(),
});
export type CreateStaffInput = z.infer<typeof createStaffSchema>;

/** In a PATCH, a missing field means "keep"; an empty email clears it; a blank PIN keeps the current one. */
const emailPatchSchema = z
  .string({ error: 'Email must be text.' })
  .trim()
  .max(200, 'Email must be at most 200 characters.')
  .nullable()
  .optional()
  .transform((v) => (v === undefined ? undefined : v ? v : null))
  .refine((v) => v === undefined || v === null || z.email().safeParse(v).success, 'Enter a valid email address.');
const pinPatchSchema = z
  .string({ error: 'PIN must be text.' })
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined))
  .refine((v) => v === undefined || /^\d{4,6}$/.test(v), 'PIN must be 4 to 6 digits.');

export const updateStaffSchema = z
  .object({
    name: personNameSchema.optional(),
    email: emailPatchSchema,
    pin: pinPatchSchema,
    role_ids: roleIdList.optional(),
    discount_limit_millipercent: discountLimitSchema.optional(),
    active: z.boolean({ error: 'Active must be true or false.' }).optional(),
  })
  .strict();
export type UpdateStaffInput = z.infer<typeof updateStaffSchema>;

export const resetPasswordSchema = z.object({ password: passwordSchema });

export const roleSchema = z.object({
  name: trimmed(60, 'Name').min(1, 'Name is required.'),
  description: trimmed(300, 'Description').default(''),
  permissions: z
    .array(z.string().refine(isPermission, 'Unknown permission.'), { error: 'Permissions must be a list.' })
    .min(1, 'Pick at least one permission.'),
});
export type RoleInput = z.infer<typeof roleSchema>;

export const STAFF_SORTS = ['username', 'name', 'last_login_at', 'created_at'] as const;
