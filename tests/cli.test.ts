import { afterAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { EmbeddedPostgres } from '../src/db/pg-manager';

const ROOT = join(import.meta.dir, '..');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function freshDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'forte-cli-'));
  dirs.push(dir);
  return join(dir, 'data');
}

function env(extra: Record<string, string> = {}) {
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('FORTE_') && v !== undefined) clean[k] = v;
  return { ...clean, FORTE_SCHEDULER: '0', ...extra };
}

async function forte(dataDir: string, ...args: string[]) {
  const proc = Bun.spawn([process.execPath, join(ROOT, 'src/main.ts'), ...args, '--data-dir', dataDir], { cwd: ROOT, env: env(), stdout: 'pipe', stderr: 'pipe', stdin: 'ignore' });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, stdout, stderr };
}

function clusterOf(dataDir: string) {
  const cfg = JSON.parse(readFileSync(join(dataDir, 'forte.json'), 'utf8'));
  return { cluster: new EmbeddedPostgres({ clusterDir: join(dataDir, 'pg'), port: cfg.database.port, superuser: 'forte', password: cfg.database.password }), cfg };
}

async function freePort(): Promise<number> {
  const s = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response('') });
  const port = s.port!;
  s.stop(true);
  return port;
}

async function waitHealthy(port: number, ms = 60_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (res.status === 200) return;
    } catch {}
    await Bun.sleep(200);
  }
  throw new Error('server did not become healthy');
}

describe('forte CLI without a running server', () => {
  const dataDir = freshDataDir();

  test('admin create on a fresh data dir initializes the cluster, completes setup with defaults, and stops PostgreSQL again', async () => {
    const res = await forte(dataDir, 'admin', 'create', '--username', 'boss', '--password', 'boss password 1', '--name', 'The Boss');
    expect(res.stderr).toContain('First-run setup completed with defaults');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('Created owner "boss"');
    const cfg = JSON.parse(readFileSync(join(dataDir, 'forte.json'), 'utf8'));
    expect(cfg.database.port).toBeGreaterThan(1024);
    expect(cfg.database.port).not.toBe(5432);
    expect(cfg.database.password.length).toBeGreaterThan(20);
    expect((await clusterOf(dataDir).cluster.status()).running).toBe(false);
  }, 120_000);

  test('admin list, token create, migrate --status, config show, jobs, doctor, version', async () => {
    const list = await forte(dataDir, 'admin', 'list');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/boss\s+The Boss\s+active\s+owner/);
    const token = await forte(dataDir, 'admin', 'token', 'create', '--name', 'website');
    expect(token.code).toBe(0);
    expect(token.stdout.trim()).toMatch(/^forte_[A-Za-z0-9_-]{40,}$/);
    const status = await forte(dataDir, 'migrate', '--status');
    expect(status.stdout).toContain('applied  0000_foundation');
    expect(status.stdout).not.toContain('pending');
    const config = await forte(dataDir, 'config', 'show');
    const shown = JSON.parse(config.stdout);
    expect(shown.database.password).toBe('********');
    expect(config.stdout).not.toContain(clusterOf(dataDir).cfg.database.password);
    const run = await forte(dataDir, 'jobs', 'run', 'session-cleanup', '--as-of', '2027-01-01');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'succeeded', asOf: '2027-01-01' });
    const jobs = await forte(dataDir, 'jobs', 'list');
    expect(jobs.stdout).toContain('session-cleanup');
    const badDate = await forte(dataDir, 'jobs', 'run', 'session-cleanup', '--as-of', '2027-02-30');
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toContain('--as-of');
    const doctor = await forte(dataDir, 'doctor');
    expect(doctor.stdout).toContain('✓ database');
    expect(doctor.stdout).toContain('✓ schema');
    expect(doctor.code).toBe(0);
    expect((await forte(dataDir, 'version')).stdout).toMatch(/^forte \d+\.\d+\.\d+/);
    const unknown = await forte(dataDir, 'frobnicate');
    expect(unknown.code).toBe(2);
    expect((await clusterOf(dataDir).cluster.status()).running).toBe(false);
  }, 180_000);

  test('import: dry run by default, --commit imports, bad rows exit 1 with row/column/reason', async () => {
    const file = join(dataDir, '..', 'accounts.csv');
    writeFileSync(file, 'legacy_id,name,type\nA1,Smith family,family\nA2,Jones,individual\n');
    const dry = await forte(dataDir, 'import', 'accounts', file);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('would create 2');
    expect(dry.stdout).toContain('Dry run only');
    const commit = await forte(dataDir, 'import', 'accounts', file, '--commit');
    expect(commit.code).toBe(0);
    expect(commit.stdout).toContain('2 created');
    const again = await forte(dataDir, 'import', 'accounts', file, '--commit');
    expect(again.stdout).toContain('2 updated');
    writeFileSync(file, 'legacy_id,name,type\nA3,,family\n');
    const bad = await forte(dataDir, 'import', 'accounts', file, '--commit');
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('row 2, name: Name is required.');
  }, 120_000);

  test('a database schema newer than the binary is refused by migrate and serve', async () => {
    const { cluster, cfg } = clusterOf(dataDir);
    await cluster.start();
    const sql = postgres(`postgres://forte:${encodeURIComponent(cfg.database.password)}@127.0.0.1:${cfg.database.port}/forte`, { max: 1, onnotice: () => {} });
    await sql`insert into forte_migrations (idx, tag) values (9999, '9999_from_the_future')`;
    await sql.end();
    await cluster.stop();
    const migrate = await forte(dataDir, 'migrate');
    expect(migrate.code).toBe(2);
    expect(migrate.stderr).toContain('newer than this Forte binary');
    const serve = await forte(dataDir, 'serve', '--port', String(await freePort()));
    expect(serve.code).toBe(2);
    expect(serve.stderr).toContain('9999_from_the_future');
    expect((await cluster.status()).running).toBe(false);
  }, 120_000);
});

describe('forte serve with CLI commands beside it', () => {
  test('CLI commands use the running cluster; the token works on the API; SIGTERM leaves no PostgreSQL behind', async () => {
    const dataDir = freshDataDir();
    const port = await freePort();
    const server = Bun.spawn([process.execPath, join(ROOT, 'src/main.ts'), 'serve', '--data-dir', dataDir, '--port', String(port)], { cwd: ROOT, env: env(), stdout: 'pipe', stderr: 'pipe', stdin: 'ignore' });
    try {
      await waitHealthy(port);
      expect(existsSync(join(dataDir, 'setup-token.txt'))).toBe(true);
      expect((await fetch(`http://127.0.0.1:${port}/api/v1/staff`)).status).toBe(503);
      const created = await forte(dataDir, 'admin', 'create', '--username', 'boss', '--password', 'boss password 1');
      expect(created.code).toBe(0);
      const token = (await forte(dataDir, 'admin', 'token', 'create', '--name', 'ci')).stdout.trim();
      const health = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
      expect((await health.json()).setup_complete).toBe(true);
      const staff = await fetch(`http://127.0.0.1:${port}/api/v1/staff`, { headers: { authorization: `Bearer ${token}` } });
      expect(staff.status).toBe(200);
      expect((await staff.json()).data.map((s: any) => s.username)).toEqual(['boss']);
      // The CLI did not stop the cluster the server runs on.
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      const { cluster } = clusterOf(dataDir);
      const pgPid = (await cluster.status()).pid!;
      expect(pgPid).toBeGreaterThan(0);
      server.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      expect((await cluster.status()).running).toBe(false);
      expect(existsSync(`/proc/${pgPid}`) && !readFileSync(`/proc/${pgPid}/status`, 'utf8').includes('zombie')).toBe(false);
      expect(existsSync(join(dataDir, 'forte.pid'))).toBe(false);
    } finally {
      server.kill('SIGKILL');
    }
  }, 180_000);
});
