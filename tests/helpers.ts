import { sql as dsql } from 'drizzle-orm';
import { connect, type DbHandle } from '../src/db/client';
import { loadMigrations } from '../src/db/migrate';
import { appAssets } from '../src/assets/store';
import { createViews } from '../src/ui/views';
import { silentLogger } from '../src/logging';
import { settableClock, type SettableClock } from '../src/domain/clock';
import { ConfigSchema, type Config } from '../src/config/schema';
import type { AppDeps } from '../src/server/deps';
import { buildApp } from '../src/app';
import { syncBuiltInRoles, createStaff, roleIdsByKey } from '../src/features/staff/service';
import { issueSetupToken } from '../src/features/settings/service';
import { createApiToken } from '../src/features/api-tokens/service';
import { cliActor } from '../src/features/audit/service';
import { completeSetupWithDefaults } from '../src/features/settings/service';

export const testEnv = () => (globalThis as any).__forteTest as { url: string; adminUrl: string; port: number; root: string };

let shared: DbHandle | null = null;
export function testDb(): DbHandle {
  shared ??= connect(testEnv().url, { max: 8, applicationName: 'forte-test' });
  return shared;
}

/** Empties every table (TRUNCATE bypasses the audit log's append-only row trigger) and re-seeds roles. */
export async function resetDb(): Promise<void> {
  const { db } = testDb();
  const rows = await db.execute<{ tablename: string }>(dsql`select tablename from pg_tables where schemaname = 'public' and tablename <> 'forte_migrations'`);
  const names = rows.map((r) => `"${r.tablename}"`).join(', ');
  // The journal refuses TRUNCATE (migration 0009_ledger_rules) unless this transaction says it is maintenance.
  if (names)
    await db.transaction(async (tx) => {
      await tx.execute(dsql`set local forte.allow_journal_truncate = 'on'`);
      await tx.execute(dsql.raw(`truncate ${names} restart identity cascade`));
    });
  await syncBuiltInRoles(db);
}

export function testConfig(overrides: Record<string, unknown> = {}): Config {
  return ConfigSchema.parse({ dataDir: testEnv().root, database: { mode: 'external', url: testEnv().url }, log: { console: false }, ...overrides });
}

export interface TestContext {
  deps: AppDeps;
  app: ReturnType<typeof buildApp>;
  clock: SettableClock;
}

export function makeTestApp(opts: { customDir?: string | null; config?: Config; clock?: SettableClock } = {}): TestContext {
  const { db, sql, searchDb } = testDb();
  const assets = appAssets(opts.customDir ?? null);
  const clock = opts.clock ?? settableClock('2026-11-24T15:00:00Z');
  const migrations = loadMigrations((p) => assets.read(p));
  const deps: AppDeps = {
    config: opts.config ?? testConfig(),
    db,
    sql,
    searchDb,
    assets,
    views: createViews(assets),
    clock,
    logger: { ...silentLogger, error: (m: string, f?: Record<string, unknown>) => console.error('[app error]', m, JSON.stringify(f).slice(0, 600)) },
    version: { version: '0.0.0-test', commit: 'test', schema: migrations.at(-1)!.tag },
    migrations,
    cookieSecret: 'test-cookie-secret-test-cookie-secret',
  };
  return { deps, app: buildApp(deps), clock };
}

export const BASE = 'http://forte.test';

export interface TestResponse {
  status: number;
  headers: Headers;
  text: string;
  json<T = any>(): T;
}

/** A browser-like client over app.handle: keeps cookies, picks up the CSRF token from the last page. */
export class TestClient {
  cookies = new Map<string, string>();
  csrf = '';
  constructor(private readonly app: { handle(r: Request): Promise<Response> }) {}

  private cookieHeader() {
    return [...this.cookies.entries()].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(method: string, path: string, init: { body?: BodyInit; headers?: Record<string, string> } = {}): Promise<TestResponse> {
    const headers: Record<string, string> = { ...init.headers };
    if (this.cookies.size) headers.cookie = this.cookieHeader();
    const res = await this.app.handle(new Request(BASE + path, { method, body: init.body, headers, redirect: 'manual' }));
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (/Max-Age=0/i.test(c) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await res.text();
    const token = /name="csrf-token" content="([^"]*)"/.exec(text) ?? /name="_csrf" value="([^"]*)"/.exec(text);
    if (token && token[1]) this.csrf = token[1];
    return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) };
  }

  get(path: string, headers: Record<string, string> = {}) {
    return this.request('GET', path, { headers });
  }

  /** Posts a form like a browser on this site would (same Origin, CSRF field) unless told otherwise. */
  postForm(path: string, fields: Record<string, string | string[]>, opts: { csrf?: string | null; origin?: string | null; headers?: Record<string, string> } = {}) {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const item of Array.isArray(v) ? v : [v]) body.append(k, item);
    const csrf = opts.csrf === undefined ? this.csrf : opts.csrf;
    if (csrf !== null) body.append('_csrf', csrf);
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', ...opts.headers };
    const origin = opts.origin === undefined ? BASE : opts.origin;
    if (origin !== null) headers.origin = origin;
    return this.request('POST', path, { body: body.toString(), headers });
  }
}

export async function apiRequest(app: { handle(r: Request): Promise<Response> }, method: string, path: string, opts: { token?: string; json?: unknown; headers?: Record<string, string> } = {}): Promise<TestResponse> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.json);
  }
  const res = await app.handle(new Request(BASE + path, { method, headers, body }));
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) };
}

export const OWNER = { username: 'olivia', password: 'correct horse battery', name: 'Olivia Owner' };

export const SETUP_FIELDS = {
  store_name: 'Harmony Music',
  address: '12 Main St\nSpringfield',
  phone: '(555) 010-2000',
  time_zone: 'America/Chicago',
  default_tax_rate: '8.25',
  owner_username: OWNER.username,
  owner_name: OWNER.name,
  owner_email: 'olivia@example.com',
  owner_password: OWNER.password,
  owner_password_confirm: OWNER.password,
};

/** Completes first-run setup through the real wizard and returns the client, signed in as the owner. */
export async function setupStore(t: TestContext): Promise<TestClient> {
  const token = await issueSetupToken(t.deps.db);
  const client = new TestClient(t.app);
  await client.get(`/setup?token=${token}`);
  const res = await client.postForm('/setup', { ...SETUP_FIELDS, token: token! });
  if (res.status !== 303) throw new Error(`setup failed: ${res.status} ${res.text.slice(0, 500)}`);
  return client;
}

export async function addStaff(t: TestContext, username: string, roleKeys: string[], password = 'staff password 123') {
  return t.deps.db.transaction(async (tx) =>
    createStaff(tx, cliActor('test'), { username, name: username.toUpperCase(), email: null, password, pin: null, role_ids: await roleIdsByKey(tx, roleKeys) }),
  );
}

export async function signIn(t: TestContext, username: string, password: string): Promise<TestClient> {
  const client = new TestClient(t.app);
  await client.get('/login');
  const res = await client.postForm('/login', { username, password, next: '/' });
  if (res.status !== 303) throw new Error(`login failed: ${res.status} ${res.text.slice(0, 300)}`);
  return client;
}

/** A store set up with defaults and one owner (owner1), without going through the setup page: for API tests. */
export async function setupStoreWithOwner(t: TestContext): Promise<void> {
  await t.deps.db.transaction(async (tx) => {
    await completeSetupWithDefaults(tx, new Date());
    await createStaff(tx, cliActor('test'), { username: 'owner1', name: 'Owner One', email: null, password: 'owner password 1', pin: null, role_ids: await roleIdsByKey(tx, ['owner']) });
  });
}

export async function ownerToken(t: TestContext, permissions?: string[]): Promise<string> {
  const [owner] = await t.deps.db.execute<{ id: string }>(dsql`select su.id from staff_users su join staff_user_roles r on r.user_id = su.id join roles ro on ro.id = r.role_id where ro.key = 'owner' limit 1`);
  const created = await t.deps.db.transaction((tx) => createApiToken(tx, cliActor('test'), { name: 'test', ownerUserId: owner.id, permissions }));
  return created.token;
}
