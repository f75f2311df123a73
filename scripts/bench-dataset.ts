#!/usr/bin/env bun
/**
 * Search-shaped benchmark data: 25,000 accounts, 40,000 members, 8,000 products and 15,000 serialized
 * units (performance.md sizes), times --scale.
 *
 * Deliberately raw `generate_series` SQL, not the services: this dataset exists to give the planner and the
 * search benchmark realistic *distributions* (common surnames, shared area codes, brand-prefixed serials,
 * UPCs on most products, a few inactive rows) in seconds, and it is used by the query-plan test too. It
 * writes no audit rows, stock movements or unit events, so it is NOT the full "large store" of
 * performance.md (that one must be built through the real services by the later bench work).
 *
 *   bun scripts/bench-dataset.ts --url postgres://… [--scale 1]
 */
import postgres from 'postgres';

export interface DatasetSize {
  accounts: number;
  members: number;
  products: number;
  units: number;
}

export const BENCH_SIZE: DatasetSize = { accounts: 25_000, members: 40_000, products: 8_000, units: 15_000 };

export function scaledSize(scale: number): DatasetSize {
  const s = (n: number) => Math.max(1, Math.round(n * scale));
  return { accounts: s(BENCH_SIZE.accounts), members: s(BENCH_SIZE.members), products: s(BENCH_SIZE.products), units: s(BENCH_SIZE.units) };
}

const list = (xs: string[]) => `array[${xs.map((x) => `'${x.replace(/'/g, "''")}'`).join(',')}]`;

const LAST = list(['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores', 'Green', 'Adams', 'Nelson', 'Baker', 'Hall', 'Rivera', 'Campbell', 'Mitchell', 'Carter', "O'Brien"]);
const SYLL_A = list(['Ash', 'Bel', 'Cal', 'Dun', 'El', 'Fair', 'Gil', 'Hart', 'Kel', 'Lind', 'Mar', 'Nor', 'Pem', 'Ral', 'Stan', 'Thorn', 'Wal', 'Whit', 'York', 'Brad']);
const SYLL_B = list(['ford', 'ley', 'ton', 'wood', 'field', 'worth', 'by', 'stone', 'ridge', 'more', 'dale', 'well', 'ham', 'brook', 'land', 'son', 'man', 'ings', 'er', 'cott']);
const FIRST = list(['James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth', 'William', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Chris', 'Karen', 'Daniel', 'Lisa', 'Matthew', 'Nancy', 'Anthony', 'Betty', 'Mark', 'Sandra', 'Emma', 'Olivia', 'Noah', 'Liam', 'Ava', 'Sophia', 'Mia', 'Lucas', 'Ethan', 'Harper', 'Amelia', 'Zoe', 'Aiden', 'Chloe', 'Leo', 'Grace', 'Isaac', 'Lily', 'Owen', 'Nora', 'Caleb', 'Ella']);
const DOMAINS = list(['gmail.com', 'yahoo.com', 'outlook.com', 'icloud.com', 'aol.com', 'hotmail.com', 'comcast.net', 'example.org']);
const AREAS = list(['555', '312', '773', '630', '847', '708', '217', '309', '618', '815']);
const SCHOOLS = list(['Lincoln Middle School', 'Washington High School', 'Jefferson Elementary', 'Roosevelt Middle School', 'Springfield Unified School District']);
const BRANDS = list(['Yamaha', 'Bach', 'Selmer', 'Jupiter', 'Conn', 'Buffet', 'Fender', 'Gibson', 'Martin', 'Taylor', 'Ibanez', 'Pearl', 'Ludwig', 'Zildjian', "D'Addario", 'Ernie Ball', 'Vandoren', 'Eastman', 'Knilling', 'Roland']);
const ITEMS = list(['Trumpet', 'Trombone', 'Clarinet', 'Flute', 'Alto Saxophone', 'Tenor Saxophone', 'Violin 4/4', 'Violin 1/2', 'Viola 15"', 'Cello 4/4', 'Acoustic Guitar', 'Electric Guitar', 'Bass Guitar', 'Snare Kit', 'Cymbal 16"', 'Guitar Strings', 'Reeds 2.5 (box of 10)', 'Valve Oil', 'Music Stand', 'Method Book 1', 'Rosin', 'Cable 10ft', 'Drumsticks 5A', 'Mouthpiece 7C', 'Keyboard 61-key']);

/** The statements, in order. Numbers come from a multiplicative permutation so they are unique 6-digit strings. */
export function datasetStatements(size: DatasetSize): string[] {
  const lastName = (seed: string) => `(case when (${seed}) % 5 < 3 then (${LAST})[1 + (${seed}) % 50] else (${SYLL_A})[1 + (${seed} / 7) % 20] || (${SYLL_B})[1 + (${seed} / 3) % 20] end)`;
  const phone = (seed: string) => `'(' || (${AREAS})[1 + (${seed}) % 10] || ') ' || lpad(((${seed}) * 37 % 900 + 100)::text, 3, '0') || '-' || lpad(((${seed}) * 7919 % 10000)::text, 4, '0')`;
  return [
    `insert into accounts (number, name, type, email, phone, billing_mode, billing_day, is_active)
     select lpad((100000 + (g::bigint * 7919) % 900000)::text, 6, '0'),
            case when g % 40 = 0 then (${SCHOOLS})[1 + g % 5] || ' ' || g
                 when g % 3 = 0 then ${lastName('g')} || ' Family'
                 else (${FIRST})[1 + (g * 13) % 50] || ' ' || ${lastName('g')} end,
            case when g % 40 = 0 then 'school' when g % 3 = 0 then 'family' when g % 29 = 0 then 'business' else 'individual' end,
            case when g % 5 = 0 then null else lower((${FIRST})[1 + (g * 13) % 50] || '.' || replace(${lastName('g')}, '''', '') || g % 1000) || '@' || (${DOMAINS})[1 + g % 8] end,
            case when g % 10 = 0 then null else ${phone('g')} end,
            case when g % 4 = 0 then 'split' else 'consolidated' end,
            1 + g % 28,
            g % 20 <> 0
     from generate_series(1, ${size.accounts}) g`,
    `insert into members (number, account_id, first_name, last_name, date_of_birth, email, phone, school, grade, is_active)
     select lpad((100000 + (g::bigint * 7927 + 12345) % 900000)::text, 6, '0'), a.id,
            (${FIRST})[1 + (g * 17) % 50],
            case when a.type = 'school' or g % 6 = 0 then ${lastName('g * 11')} when a.name like '% Family' then left(a.name, -7) else regexp_replace(a.name, '^.* ', '') end,
            case when g % 3 = 0 then (date '2010-01-01' + (g % 3000)) else null end,
            case when g % 4 = 0 then lower((${FIRST})[1 + (g * 17) % 50] || g || '@' || (${DOMAINS})[1 + g % 8]) else null end,
            case when g % 5 = 0 then ${phone('g * 3')} else null end,
            case when g % 3 = 0 then (${SCHOOLS})[1 + g % 5] else '' end,
            case when g % 3 = 0 then (4 + g % 9)::text else '' end,
            g % 25 <> 0
     from generate_series(1, ${size.members}) g
     join (select id, name, type, row_number() over (order by number) as rn from accounts) a on a.rn = 1 + (g::bigint * 7) % ${size.accounts}`,
    `insert into products (sku, upc, name, brand, model, kind, cost_cents, average_cost_cents, price_cents, rentable, is_active)
     select upper(left(regexp_replace((${BRANDS})[1 + g % 20], '[^A-Za-z]', '', 'g'), 3)) || '-' || lpad(g::text, 5, '0'),
            case when g % 10 < 7 then '0' || lpad((g::bigint * 104729 % 99999999999)::text, 11, '0') else null end,
            (${ITEMS})[1 + (g / 20) % 25] || case when g % 7 = 0 then ' (Student)' when g % 11 = 0 then ' Pro' else '' end,
            (${BRANDS})[1 + g % 20],
            upper(left((${BRANDS})[1 + g % 20], 1)) || (100 + (g * 31) % 900)::text || case when g % 2 = 0 then 'S' else '' end,
            case when (g / 20) % 25 < 15 then 'serialized' when (g / 20) % 25 < 24 then 'stock' else 'service' end,
            (g * 97) % 200000, (g * 97) % 200000, (g * 97) % 200000 * 2,
            (g / 20) % 25 < 10,
            g % 50 <> 0
     from generate_series(1, ${size.products}) g`,
    `insert into inventory_units (product_id, serial_number, condition, status, cost_cents, acquired_on, acquired_via, location)
     select p.id,
            upper(left(regexp_replace(p.brand, '[^A-Za-z]', '', 'g'), 3)) || case when g % 3 = 0 then '-' else '' end || lpad((g::bigint * 7841 % 9999991)::text, 7, '0'),
            (array['new','excellent','good','fair','poor'])[1 + g % 5],
            (array['available','available','available','rented','rented','sold','in_repair','on_trial','reserved','retired'])[1 + g % 10],
            p.cost_cents, date '2020-01-01' + (g % 2000), (array['purchase','purchase','trade_in','import'])[1 + g % 4],
            'Bin ' || (1 + g % 40)
     from generate_series(1, ${size.units}) g
     join (select id, brand, cost_cents, row_number() over (order by sku) as rn from products where kind = 'serialized') p
       on p.rn = 1 + (g::bigint * 13) % (select count(*) from products where kind = 'serialized')`,
    // VACUUM (not just ANALYZE) also merges the GIN indexes' pending lists, as autovacuum does in a live store;
    // a bulk load leaves them full and the planner (rightly) prices trigram scans as slow until then.
    `vacuum analyze accounts, members, products, inventory_units`,
  ];
}

/** Fills an empty Forte database (migrated, setup may or may not be done) with the search dataset. */
export async function loadSearchDataset(sql: postgres.Sql, size: DatasetSize = BENCH_SIZE): Promise<void> {
  for (const statement of datasetStatements(size)) await sql.unsafe(statement);
}

if (import.meta.main) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const url = arg('url') ?? process.env.FORTE_DATABASE_URL;
  if (!url) {
    console.error('usage: bun scripts/bench-dataset.ts --url postgres://user:pass@127.0.0.1:port/db [--scale 1]');
    process.exit(2);
  }
  const size = scaledSize(Number(arg('scale') ?? '1'));
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  const t0 = performance.now();
  await loadSearchDataset(sql, size);
  await sql.end();
  console.log(`search dataset loaded (${JSON.stringify(size)}) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
