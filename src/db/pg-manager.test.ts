// Real PostgreSQL, no mocks. On CI (and in the dev container) these run as
// root, which exercises the forte-pg OS-user path.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { findPgInstallDir, pgBin } from "./pg-binaries";
import { EmbeddedPostgres, pidAlive } from "./pg-manager";

const isRoot = process.getuid?.() === 0;
const tmpRoots: string[] = [];
const managers: EmbeddedPostgres[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

function makeTmp(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tmpRoots.push(dir);
  return dir;
}

async function newManager(clusterDir: string, extra: Partial<ConstructorParameters<typeof EmbeddedPostgres>[0]> = {}) {
  const pg = new EmbeddedPostgres({
    clusterDir,
    port: await freePort(),
    superuser: "forte",
    password: "s3cr:et/@?#%", // characters that must be URL-encoded
    ...extra,
  });
  managers.push(pg);
  return pg;
}

async function selectOne(pg: EmbeddedPostgres): Promise<number> {
  const sql = postgres(pg.connectionUrl(), { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql`select 1 as one`;
    return row!.one as number;
  } finally {
    await sql.end();
  }
}

/** Live (non-zombie) postgres processes whose cwd is the cluster dir: postmaster + backends. */
function postgresProcessesOf(clusterDir: string): number[] {
  const real = realpathSync(clusterDir);
  const pids: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/comm`, "utf8").trim() !== "postgres") continue;
      if (readlinkSync(`/proc/${name}/cwd`) === real && pidAlive(Number(name))) pids.push(Number(name));
    } catch {
      // exited meanwhile or not ours to inspect
    }
  }
  return pids;
}

function procUid(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8").split("\n").find((l) => l.startsWith("Uid:"))!;
  return Number(line.split(/\s+/)[1]); // real uid
}

/** A pid that certainly belonged to a process that has exited. */
function deadPid(): number {
  const p = Bun.spawnSync(["true"]);
  expect(pidAlive(p.pid)).toBe(false);
  return p.pid;
}

afterAll(async () => {
  for (const pg of managers) await pg.stop("immediate").catch(() => {});
  for (const dir of tmpRoots) rmSync(dir, { recursive: true, force: true });
});

describe("pg-binaries", () => {
  test("finds the install dir from the checkout", () => {
    const dir = findPgInstallDir();
    expect(existsSync(pgBin(dir, "postgres"))).toBe(true);
  });

  test("FORTE_PGSQL_DIR pointing nowhere is a clear error", () => {
    const saved = process.env.FORTE_PGSQL_DIR;
    process.env.FORTE_PGSQL_DIR = "/nonexistent/pgsql";
    try {
      expect(() => findPgInstallDir()).toThrow(/FORTE_PGSQL_DIR/);
    } finally {
      if (saved === undefined) delete process.env.FORTE_PGSQL_DIR;
      else process.env.FORTE_PGSQL_DIR = saved;
    }
  });
});

describe("EmbeddedPostgres", () => {
  let pg: EmbeddedPostgres;

  beforeAll(async () => {
    pg = await newManager(join(makeTmp("forte-pg-"), "data", "pg"));
  });

  test("connectionUrl encodes credentials", () => {
    expect(pg.connectionUrl("my db")).toBe(`postgres://forte:s3cr%3Aet%2F%40%3F%23%25@127.0.0.1:${pg.port}/my%20db`);
  });

  test("init + start + connect + stop leaves no postgres process", async () => {
    expect(pg.isInitialized()).toBe(false);
    expect(await pg.status()).toEqual({ running: false });
    await pg.init();
    expect(pg.isInitialized()).toBe(true);
    expect(statSync(pg.clusterDir).mode & 0o777).toBe(0o700);

    expect(await pg.start()).toEqual({ startedByUs: true });
    const { running, pid } = await pg.status();
    expect(running).toBe(true);
    expect(Number(readFileSync(join(pg.clusterDir, "postmaster.pid"), "utf8").split("\n")[0])).toBe(pid!);
    if (isRoot) expect(procUid(pid!)).not.toBe(0);
    expect(await selectOne(pg)).toBe(1);
    expect(existsSync(pg.logFile)).toBe(true);

    await pg.stop();
    expect(pidAlive(pid!)).toBe(false);
    expect(existsSync(join(pg.clusterDir, "postmaster.pid"))).toBe(false);
    expect(postgresProcessesOf(pg.clusterDir)).toEqual([]);
    expect(await pg.status()).toEqual({ running: false });
    await pg.stop(); // stopping a stopped server is a no-op
  });

  test("init is idempotent", async () => {
    const versionFile = join(pg.clusterDir, "PG_VERSION");
    const before = statSync(versionFile).mtimeMs;
    await pg.init();
    await pg.init();
    expect(statSync(versionFile).mtimeMs).toBe(before);
  });

  test("init refuses a non-empty dir that is not a cluster", async () => {
    const dir = join(makeTmp("forte-pg-junk-"), "pg");
    mkdirSync(dir);
    writeFileSync(join(dir, "something"), "x");
    const other = await newManager(dir);
    await expect(other.init()).rejects.toThrow(/not empty/);
  });

  test("start when already running returns startedByUs:false", async () => {
    expect(await pg.start()).toEqual({ startedByUs: true });
    const { pid } = await pg.status();
    expect(await pg.start()).toEqual({ startedByUs: false });
    expect((await pg.status()).pid).toBe(pid);
    expect(await selectOne(pg)).toBe(1);
  });

  test("a second manager on the same cluster sees it running via postmaster.pid", async () => {
    const first = await pg.status();
    expect(first.running).toBe(true);
    const second = new EmbeddedPostgres({ clusterDir: pg.clusterDir, port: pg.port, superuser: "forte", password: "s3cr:et/@?#%" });
    expect(second.isInitialized()).toBe(true);
    expect(await second.status()).toEqual(first);
    expect(await second.start()).toEqual({ startedByUs: false });
    expect(await selectOne(second)).toBe(1);
    // The other process may also stop it.
    await second.stop();
    expect(await pg.status()).toEqual({ running: false });
    expect(pidAlive(first.pid!)).toBe(false);
  });

  test("stale postmaster.pid with a dead pid is handled", async () => {
    const pidFile = join(pg.clusterDir, "postmaster.pid");
    // What a crashed server leaves behind (same shape as the real file).
    writeFileSync(pidFile, `${deadPid()}\n${pg.clusterDir}\n1700000000\n${pg.port}\n\n127.0.0.1\n  1234567      0\nready   \n`);
    expect(await pg.status()).toEqual({ running: false });
    expect(await pg.start()).toEqual({ startedByUs: true });
    const { running, pid } = await pg.status();
    expect(running).toBe(true);
    expect(await selectOne(pg)).toBe(1);
    await pg.stop("fast");
    expect(pidAlive(pid!)).toBe(false);
  });

  test("stale postmaster.pid whose pid was reused by another process is handled", async () => {
    const pidFile = join(pg.clusterDir, "postmaster.pid");
    // Container restart: the old pid now belongs to something else (here: us).
    writeFileSync(pidFile, `${process.pid}\n${pg.clusterDir}\n1700000000\n${pg.port}\n\n127.0.0.1\n  1234567      0\nready   \n`);
    expect(await pg.status()).toEqual({ running: false });
    expect(await pg.start()).toEqual({ startedByUs: true });
    expect(await selectOne(pg)).toBe(1);
    await pg.stop("smart");
    expect(postgresProcessesOf(pg.clusterDir)).toEqual([]);
  });
});

describe.if(isRoot)("as root, under a 0700 parent", () => {
  test("cluster dir and binaries below 0700 directories work; server does not run as root", async () => {
    const locked = makeTmp("forte-pg-locked-");
    chmodSync(locked, 0o700);
    // Binaries also below a 0700 dir, like a CI checkout under /root; and
    // without the lib symlinks, as when npm skipped the postinstall script.
    const installDir = join(locked, "checkout", "node_modules", "pgsql");
    cpSync(findPgInstallDir(), installDir, { recursive: true, verbatimSymlinks: true });
    chmodSync(join(locked, "checkout"), 0o700);
    for (const link of ["libpq.so.5", "libicuuc.so.60", "libicui18n.so.60", "libicudata.so.60"]) unlinkSync(join(installDir, "lib", link));
    const binCacheDir = join(makeTmp("forte-pg-cache-"), "cache");

    const clusterDir = join(locked, "nested", "data", "pg");
    const pg = await newManager(clusterDir, { installDir, binCacheDir });
    await pg.init();
    expect(await pg.start()).toEqual({ startedByUs: true });
    const { pid } = await pg.status();
    expect(procUid(pid!)).not.toBe(0);
    expect(await selectOne(pg)).toBe(1);

    // Cluster owned by the postgres user, 0700; parents only got traverse, never read.
    const st = statSync(clusterDir);
    expect(st.uid).toBe(procUid(pid!));
    expect(st.mode & 0o777).toBe(0o700);
    expect(statSync(locked).mode & 0o004).toBe(0);
    // The unreachable binaries were copied into the cache rather than opening up the checkout.
    expect(readdirSync(binCacheDir).filter((n) => n.startsWith("pgsql-"))).toHaveLength(1);
    expect(statSync(join(locked, "checkout")).mode & 0o777).toBe(0o700);

    await pg.stop();
    expect(pidAlive(pid!)).toBe(false);
    expect(postgresProcessesOf(clusterDir)).toEqual([]);
  });
});
