import { beforeEach, describe, expect, test } from 'bun:test';
import { sql } from 'drizzle-orm';
import { addStaff, makeTestApp, resetDb, setupStore, signIn, type TestClient, type TestContext } from '../helpers';

let t: TestContext;
let owner: TestClient;
beforeEach(async () => {
  await resetDb();
  t = makeTestApp();
  owner = await setupStore(t);
  await owner.get('/settings/tax-classes');
});

const count = async (table: string) => (await t.deps.db.execute<{ n: number }>(sql.raw(`select count(*)::int as n from ${table}`)))[0].n;
const classes = async () =>
  [...(await t.deps.db.execute<{ name: string; is_default: boolean; comps: string }>(sql`
    select c.name, c.is_default, coalesce(string_agg(k.name || '=' || k.rate_millipercent, ',' order by k.sort_order), '') as comps
    from tax_classes c left join tax_class_components k on k.tax_class_id = c.id group by c.id order by c.name`))];
const blank = { name: '', component_name_0: '', component_rate_0: '', component_name_1: '', component_rate_1: '', component_name_2: '', component_rate_2: '', component_name_3: '', component_rate_3: '' };

describe('tax class settings page', () => {
  test('lists the classes with their rates; adds a single-rate class and a class of components made default', async () => {
    const page = await owner.get('/settings/tax-classes');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Standard');
    expect(page.text).toContain('Sales tax 8.25%');
    expect(page.text).toContain('Default');
    expect((await owner.get('/settings')).text).toContain('href="/settings/tax-classes"');

    const single = await owner.postForm('/settings/tax-classes', { ...blank, name: 'Labor', component_rate_0: '6.5' });
    expect(single.status).toBe(303);
    expect(single.headers.get('location')).toBe('/settings/tax-classes');
    const nyc = await owner.postForm('/settings/tax-classes', { ...blank, name: 'Taxable NYC', component_name_0: 'State', component_rate_0: '4', component_name_1: 'County', component_rate_1: '4.5%', component_name_2: 'MCTD', component_rate_2: '0.375', is_default: 'on' });
    expect(nyc.status).toBe(303);
    expect(await classes()).toEqual([
      { name: 'Labor', is_default: false, comps: 'Labor=6500' },
      { name: 'Standard', is_default: false, comps: 'Sales tax=8250' },
      { name: 'Taxable NYC', is_default: true, comps: 'State=4000,County=4500,MCTD=375' },
    ]);
    const after = await owner.get('/settings/tax-classes');
    expect(after.text).toContain('Added tax class Taxable NYC (now the default).');
    expect(after.text).toContain('State 4% + County 4.5% + MCTD 0.375%');
    expect(after.text).toContain('8.875%');
    expect(after.text).toContain('6.5%');
    // A zero rate (exempt) is a class too.
    expect((await owner.postForm('/settings/tax-classes', { ...blank, name: 'Exempt', component_rate_0: '0' })).status).toBe(303);
  });

  test('bad input: the message next to the field, nothing written', async () => {
    const before = { classes: await count('tax_classes'), components: await count('tax_class_components') };
    const cases: [Record<string, string>, string, string][] = [
      [{ name: '', component_rate_0: '5' }, 'component', 'Name is required.'],
      [{ name: 'X', component_rate_0: '' }, 'component_rate_0', 'Enter a rate (e.g. 8.875), or the components of the rate.'],
      [{ name: 'X', component_rate_0: 'eight' }, 'component_rate_0', 'Enter a percentage between 0 and 100 with up to 3 decimals, e.g. 8.875.'],
      [{ name: 'X', component_rate_0: '-1' }, 'component_rate_0', 'Enter a percentage between 0 and 100'],
      [{ name: 'X', component_rate_0: '8.8755' }, 'component_rate_0', 'Enter a percentage between 0 and 100'],
      [{ name: 'X', component_rate_0: '101' }, 'component_rate_0', 'Enter a percentage between 0 and 100'],
      [{ name: 'X', component_name_0: 'State', component_rate_0: '4', component_rate_1: '1' }, 'component_name_1', 'Name each component'],
      [{ name: 'X', component_name_0: 'State', component_rate_0: '4', component_name_2: 'City' }, 'component_rate_2', 'Enter the rate of this component.'],
      [{ name: 'X', component_name_0: 'State', component_rate_0: '60', component_name_1: 'City', component_rate_1: '50' }, 'components', 'The components add up to more than 100%'],
      [{ name: 'X', component_name_0: 'City', component_rate_0: '1', component_name_1: 'city', component_rate_1: '2' }, 'components', 'Component &quot;city&quot; is listed twice.'],
      [{ name: 'x'.repeat(61), component_rate_0: '1' }, 'name', 'Name must be at most 60 characters.'],
      [{ name: 'X', component_name_0: 'State', component_rate_0: '1', component_name_1: 'y'.repeat(61), component_rate_1: '1' }, 'component_name_1', 'Component name must be at most 60 characters.'],
    ];
    for (const [fields, field, message] of cases) {
      const res = await owner.postForm('/settings/tax-classes', { ...blank, ...fields });
      expect([res.status, fields]).toEqual([422, fields]);
      expect([res.text.includes(message), message]).toEqual([true, message]);
      if (field === 'components') expect(res.text).toContain('id="components-error"');
      else if (field !== 'component') expect(res.text).toMatch(new RegExp(`name="${field}"[^>]*aria-invalid="true"`));
      // What was typed comes back.
      if (fields.component_rate_0) expect(res.text).toContain(`value="${fields.component_rate_0}"`);
    }
    const nameMissing = await owner.postForm('/settings/tax-classes', { ...blank, component_rate_0: '5' });
    expect(nameMissing.text).toMatch(/name="name"[^>]*aria-invalid="true"/);
    const dup = await owner.postForm('/settings/tax-classes', { ...blank, name: 'standard', component_rate_0: '5' });
    expect(dup.status).toBe(409);
    expect(dup.text).toContain('A tax class with that name already exists.');
    expect(dup.text).toMatch(/name="name"[^>]*aria-invalid="true"/);
    expect({ classes: await count('tax_classes'), components: await count('tax_class_components') }).toEqual(before);
  });

  test('settings.manage only: a manager may add, a cashier may not see the page', async () => {
    await addStaff(t, 'casey', ['cashier']);
    const cashier = await signIn(t, 'casey', 'staff password 123');
    await cashier.get('/');
    expect((await cashier.get('/settings/tax-classes')).status).toBe(403);
    expect((await cashier.postForm('/settings/tax-classes', { ...blank, name: 'Sneaky', component_rate_0: '1' })).status).toBe(403);
    await addStaff(t, 'morgan', ['manager']);
    const manager = await signIn(t, 'morgan', 'staff password 123');
    await manager.get('/settings/tax-classes');
    expect((await manager.postForm('/settings/tax-classes', { ...blank, name: 'Rentals', component_rate_0: '7' })).status).toBe(303);
    expect(await count('tax_classes')).toBe(2);
  });
});
