import { Elysia } from 'elysia';
import type { AppDeps } from '../../server/deps';
import { authPlugin } from '../../server/auth';
import { redirect, renderPage, setFlash } from '../../server/respond';
import { formBody, formString, type FormBody } from '../../server/forms';
import { ServiceError, zodFieldErrors } from '../service-errors';
import { actorOf } from '../staff/routes';
import { parseRateToMillipercent } from '../../domain/rounding';
import { parseMoneyToCents } from '../../domain/money';
import { createDiscountSchema, DISCOUNT_KINDS, MAX_DISCOUNT_NAME_LENGTH, updateDiscountSchema } from './schemas';
import { createNamedDiscount, describeDiscount, getNamedDiscount, listNamedDiscounts, updateNamedDiscount } from './service';

/** Settings → Discounts (settings.manage): the named discounts the sale screen offers. */

type Errors = Record<string, string>;

/** The add form: kind + one value typed as "10" / "12.5%" (percent) or "5.00" / "$5" (amount). */
export function readDiscountForm(body: FormBody): { values: Record<string, string>; errors: Errors; input: Record<string, unknown> } {
  const values = { name: formString(body, 'name'), kind: formString(body, 'kind'), value: formString(body, 'value').trim() };
  const errors: Errors = {};
  const input: Record<string, unknown> = { name: values.name, kind: values.kind };
  const text = values.value.length > 20 ? 'x' : values.value;
  if (values.kind === 'percent') {
    const rate = text ? parseRateToMillipercent(text) : null;
    if (!text) errors.value = 'Enter the percentage, e.g. 10 or 12.5.';
    else if (rate === null) errors.value = 'Enter a percentage between 0 and 100 with up to 3 decimals, e.g. 12.5.';
    else if (rate === 0) errors.value = 'The percentage must be more than 0%.';
    else input.percent_millipercent = rate;
  } else if (values.kind === 'amount') {
    const cents = text ? parseMoneyToCents(text) : null;
    if (!text) errors.value = 'Enter the amount, e.g. 5.00.';
    else if (cents === null) errors.value = 'Enter an amount like 5.00.';
    else if (cents <= 0) errors.value = 'The amount must be more than $0.00.';
    else input.amount_cents = cents;
  }
  return { values, errors, input };
}

/** Schema messages for percent_millipercent / amount_cents belong next to the form's one value field. */
const toFormErrors = (fields: Errors): Errors => {
  const out: Errors = {};
  for (const [k, m] of Object.entries(fields)) out[k === 'percent_millipercent' || k === 'amount_cents' ? 'value' : k] ??= m;
  return out;
};

export function discountsRoutes(deps: AppDeps) {
  const page = async (ctx: any, opts: { values?: Record<string, string>; errors?: Errors; editId?: string; editValues?: Record<string, string>; editErrors?: Errors; status?: number } = {}) => {
    const discounts = await listNamedDiscounts(deps.db);
    return renderPage(deps, ctx, {
      template: 'discounts/page',
      title: 'Discounts',
      status: opts.status ?? 200,
      data: {
        discounts: discounts.map((d) => ({ ...d, value: describeDiscount(d) })),
        kinds: DISCOUNT_KINDS,
        maxName: MAX_DISCOUNT_NAME_LENGTH,
        values: opts.values ?? { kind: 'percent' },
        errors: opts.errors ?? {},
        editId: opts.editId ?? null,
        editValues: opts.editValues ?? {},
        editErrors: opts.editErrors ?? {},
      },
    });
  };
  const serviceErrors = (err: unknown): { errors: Errors; status: number } => {
    if (err instanceof ServiceError && err.status !== 404) return { errors: { ...err.fields, ...(Object.keys(err.fields).length ? {} : { _: err.message }) }, status: err.status };
    throw err;
  };

  return new Elysia({ name: 'feature.discounts' })
    .use(authPlugin(deps))
    .get('/settings/discounts', (ctx) => page(ctx), { permission: 'settings.manage' })
    .post(
      '/settings/discounts',
      async (ctx) => {
        const form = readDiscountForm(formBody(ctx.body));
        const parsed = createDiscountSchema.safeParse(form.input);
        if (!parsed.success || Object.keys(form.errors).length) {
          const errors = { ...(parsed.success ? {} : toFormErrors(zodFieldErrors(parsed.error))), ...form.errors };
          if (errors.kind) errors.kind = 'Choose percent or amount.';
          return page(ctx, { values: form.values, errors, status: 422 });
        }
        try {
          const row = await deps.db.transaction((tx) => createNamedDiscount(tx, actorOf(ctx), parsed.data));
          setFlash(deps, ctx, { kind: 'success', message: `Added discount ${row.name} (${describeDiscount(row)}).` });
          return redirect(ctx, '/settings/discounts');
        } catch (err) {
          const { errors, status } = serviceErrors(err);
          return page(ctx, { values: form.values, errors, status });
        }
      },
      { permission: 'settings.manage' },
    )
    .post(
      '/settings/discounts/:id',
      async (ctx) => {
        const discount = await getNamedDiscount(deps.db, ctx.params.id);
        const body = formBody(ctx.body);
        const editValues = { name: formString(body, 'name'), active: formString(body, 'active') };
        const parsed = updateDiscountSchema.safeParse({ name: editValues.name, active: editValues.active === 'on' });
        if (!parsed.success) return page(ctx, { editId: discount.id, editValues, editErrors: zodFieldErrors(parsed.error), status: 422 });
        try {
          const saved = await deps.db.transaction((tx) => updateNamedDiscount(tx, actorOf(ctx), discount.id, parsed.data));
          setFlash(deps, ctx, { kind: 'success', message: `Saved ${saved.name}${saved.active ? '' : ' (inactive: the sale screen no longer offers it)'}.` });
          return redirect(ctx, '/settings/discounts');
        } catch (err) {
          const { errors, status } = serviceErrors(err);
          return page(ctx, { editId: discount.id, editValues, editErrors: errors, status });
        }
      },
      { permission: 'settings.manage' },
    );
}
