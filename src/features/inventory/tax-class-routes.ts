import { Elysia } from 'elysia';
import type { AppDeps } from '../../server/deps';
import { authPlugin } from '../../server/auth';
import { redirect, renderPage, setFlash } from '../../server/respond';
import { formBody, formString, type FormBody } from '../../server/forms';
import { ServiceError } from '../service-errors';
import { actorOf } from '../staff/routes';
import { parseRateToMillipercent } from '../../domain/rounding';
import { indexedFieldErrors } from '../purchasing/schemas';
import { createTaxClassSchema } from './schemas';
import { createTaxClass, listTaxClasses } from './tax-classes';

/**
 * Settings → Tax classes: the list with each class's components and rates, and a form adding a class with up to
 * four components (state, county, city, special district) typed as percentages ("8.875"). The same service as
 * POST /api/v1/tax-classes. Classes are only added here; changing a rate is a new class (docs/deposits.md).
 */

export const TAX_FORM_COMPONENTS = 4;
type Errors = Record<string, string>;

const RATE_MESSAGE = 'Enter a percentage between 0 and 100 with up to 3 decimals, e.g. 8.875.';

/** The form as the API's input: one filled row without a name becomes the class's single rate. */
export function readTaxClassForm(body: FormBody): { values: Record<string, string>; errors: Errors; input: Record<string, unknown> } {
  const values: Record<string, string> = { name: formString(body, 'name'), is_default: formString(body, 'is_default') };
  const errors: Errors = {};
  const rows: { i: number; name: string; rate: number | null }[] = [];
  for (let i = 0; i < TAX_FORM_COMPONENTS; i++) {
    const name = formString(body, `component_name_${i}`).trim();
    const rateText = formString(body, `component_rate_${i}`).trim();
    values[`component_name_${i}`] = name;
    values[`component_rate_${i}`] = rateText;
    if (!name && !rateText) continue;
    const rate = rateText ? parseRateToMillipercent(rateText.length > 20 ? 'x' : rateText) : null;
    if (!rateText) errors[`component_rate_${i}`] = 'Enter the rate of this component.';
    else if (rate === null) errors[`component_rate_${i}`] = RATE_MESSAGE;
    rows.push({ i, name, rate });
  }
  if (rows.length === 0) errors.component_rate_0 = 'Enter a rate (e.g. 8.875), or the components of the rate.';
  const input: Record<string, unknown> = { name: values.name, is_default: values.is_default === 'on' };
  if (rows.length === 1 && !rows[0].name) {
    if (rows[0].rate !== null) input.rate_millipercent = rows[0].rate;
  } else {
    for (const r of rows) if (!r.name) errors[`component_name_${r.i}`] = 'Name each component (e.g. State, County, City).';
    input.components = rows.filter((r) => r.rate !== null).map((r) => ({ name: r.name, rate_millipercent: r.rate }));
  }
  return { values, errors, input };
}

/** API-shaped field errors (components.1.name …) next to the form's inputs. */
function formErrors(fields: Errors, rowOf: number[]): Errors {
  const out: Errors = {};
  for (const [key, message] of Object.entries(fields)) {
    const m = /^components\.(\d+)\.(name|rate_millipercent)$/.exec(key);
    if (m) out[`component_${m[2] === 'name' ? 'name' : 'rate'}_${rowOf[Number(m[1])] ?? 0}`] = message;
    else if (key === 'rate_millipercent') out[`component_rate_${rowOf[0] ?? 0}`] = message;
    else out[key] = message;
  }
  return out;
}

export function taxClassRoutes(deps: AppDeps) {
  const page = async (ctx: any, values: Record<string, string> = {}, errors: Errors = {}, status = 200) =>
    renderPage(deps, ctx, {
      template: 'inventory/tax-classes',
      title: 'Tax classes',
      status,
      data: { classes: await listTaxClasses(deps.db), values, errors, componentRows: TAX_FORM_COMPONENTS },
    });

  return new Elysia({ name: 'feature.inventory.tax-classes' })
    .use(authPlugin(deps))
    .get('/settings/tax-classes', (ctx) => page(ctx), { permission: 'settings.manage' })
    .post(
      '/settings/tax-classes',
      async (ctx) => {
        const form = readTaxClassForm(formBody(ctx.body));
        // Rows that reach the schema, in order: their form row numbers (for "components.1.name" errors).
        const rowOf = Array.from({ length: TAX_FORM_COMPONENTS }, (_, i) => i).filter((i) => form.values[`component_name_${i}`] || form.values[`component_rate_${i}`]);
        const parsed = createTaxClassSchema.safeParse(form.input);
        if (!parsed.success || Object.keys(form.errors).length) {
          const schemaErrors = parsed.success ? {} : formErrors(indexedFieldErrors(parsed.error), rowOf);
          // With a row already refused, the schema saw fewer rows: keep only its messages about the class itself.
          const kept = Object.keys(form.errors).length ? Object.fromEntries(Object.entries(schemaErrors).filter(([k]) => !k.startsWith('component'))) : schemaErrors;
          return page(ctx, form.values, { ...kept, ...form.errors }, 422);
        }
        try {
          const created = await deps.db.transaction((tx) => createTaxClass(tx, actorOf(ctx), parsed.data));
          setFlash(deps, ctx, { kind: 'success', message: `Added tax class ${created.name}${created.isDefault ? ' (now the default)' : ''}.` });
          return redirect(ctx, '/settings/tax-classes');
        } catch (err) {
          if (err instanceof ServiceError && err.status !== 404) return page(ctx, form.values, { ...err.fields, ...(Object.keys(err.fields).length ? {} : { _: err.message }) }, err.status);
          throw err;
        }
      },
      { permission: 'settings.manage' },
    );
}
