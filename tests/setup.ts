/**
 * bun test preload: one real PostgreSQL for the whole run, started through Forte's own manager (the same
 * code the appliance uses), migrated once. Tests truncate between themselves (tests/helpers.ts).
 */
import { afterAll } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import postgres from 'postgres';
import { EmbeddedPostgres } from '../src/db/pg-manager';
import { loadMigrations, migrate } from '../src/db/migrate';
import { appAssets } from '../src/assets/store';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as any).port;
      srv.close(() => resolve(port));
    });
  });
}

const root = mkdtempSync(join(tmpdir(), 'forte-test-pg-'));
const port = await freePort();
const cluster = new EmbeddedPostgres({ clusterDir: join(root, 'pg'), port, superuser: 'forte', password: 'test-password', logFile: join(root, 'postgresql.log') });
await cluster.init();
await cluster.start();

const adminUrl = cluster.connectionUrl('postgres');
const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
await admin.unsafe('create database forte_test');
// A template copy lets tests that need a whole separate database (CLI, serve) get one quickly.
await admin.end();

const url = cluster.connectionUrl('forte_test');
const sql = postgres(url, { max: 2, onnotice: () => {} });
await migrate(sql, loadMigrations((p) => appAssets(null).read(p)));
await sql.end();

(globalThis as any).__forteTest = { url, adminUrl, port, root, cluster };

afterAll(async () => {
  await cluster.stop('fast');
  rmSync(root, { recursive: true, force: true });
});
