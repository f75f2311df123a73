#!/usr/bin/env bun
/**
 * `bun run bench` — performance floors and budgets (see bench/README.md).
 * Prints a table and writes bench/results/<YYYY-MM-DD>-<git short sha|nogit>.json.
 */
import { spawn, spawnSync, type Subprocess } from "bun";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Elysia } from "elysia";
import postgres from "postgres";
import { EmbeddedPostgres } from "../src/db/pg-manager";
import { BENCH_SIZE, loadSearchDataset } from "./bench-dataset";

const root = join(import.meta.dir, "..");
const bin = join(root, "dist", "forte");
const tempDirs: string[] = [];
const procs = new Set<Subprocess>();

type Row = {
  measure: string;
  p50?: number;
  p95?: number;
  p99?: number;
  /** Server-side latency (the response's Server-Timing `app;dur=`): what performance.md's targets measure. */
  server?: { p50: number; p95: number; p99: number };
  min?: number;
  count?: number;
  rps?: number;
  target?: string;
  floorRatio?: number;
  note?: string;
};
const rows: Row[] = [];

const log = (m: string) => console.error(`bench: ${m}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function pct(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once("error", rej);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as any).port;
      s.close(() => res(port));
    });
  });
}

/**
 * Runs `fn` in `concurrency` loops for `ms`; returns round-trip latency stats (ms, as the bench client saw
 * them), server-side latency stats when `fn` returns the server's own duration, and requests/s.
 */
async function load(fn: (worker: number) => Promise<number | void>, concurrency: number, ms: number) {
  for (let i = 0; i < 50; i++) await fn(i % concurrency); // warm-up (JIT, connections, statement caches)
  const lat: number[] = [];
  const srv: number[] = [];
  const start = performance.now();
  const end = start + ms;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (performance.now() < end) {
        const t = performance.now();
        const serverMs = await fn(worker);
        lat.push(performance.now() - t);
        if (typeof serverMs === "number") srv.push(serverMs);
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  lat.sort((a, b) => a - b);
  srv.sort((a, b) => a - b);
  const server = srv.length ? { p50: pct(srv, 50), p95: pct(srv, 95), p99: pct(srv, 99) } : undefined;
  return { p50: pct(lat, 50), p95: pct(lat, 95), p99: pct(lat, 99), server, count: lat.length, rps: lat.length / elapsed };
}

/** GET that checks the status; resolves to the server-side duration from `Server-Timing: app;dur=…`. */
function httpGet(url: string, headers: Record<string, string> = {}, expect = 200) {
  return async (): Promise<number | undefined> => {
    const r = await fetch(url, { headers, redirect: "manual" });
    await r.arrayBuffer();
    if (r.status !== expect) throw new Error(`GET ${url} -> ${r.status}`);
    const m = /(?:^|,)\s*app;dur=([\d.]+)/.exec(r.headers.get("server-timing") ?? "");
    return m ? Number(m[1]) : undefined;
  };
}

function run(args: string[], env: Record<string, string> = {}): string {
  const r = spawnSync([bin, ...args], { env: { ...process.env, ...env }, stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`forte ${args.join(" ")} failed (${r.exitCode}):\n${r.stdout.toString()}\n${r.stderr.toString()}`);
  return r.stdout.toString();
}

async function waitHealthy(base: string, proc: Subprocess, timeoutMs = 60_000): Promise<number> {
  const t0 = performance.now();
  while (performance.now() - t0 < timeoutMs) {
    if (proc.exitCode !== null) throw new Error(`server exited early (${proc.exitCode})`);
    try {
      const r = await fetch(`${base}/healthz`);
      await r.arrayBuffer();
      if (r.status === 200) return performance.now() - t0;
    } catch {}
    await sleep(10);
  }
  throw new Error(`no healthy response from ${base} within ${timeoutMs} ms`);
}

function serve(dataDir: string, port: number, logFile: string, extraEnv: Record<string, string> = {}): { proc: Subprocess; t0: number } {
  const t0 = performance.now();
  const proc = spawn([bin, "serve", "--data-dir", dataDir, "--port", String(port)], {
    env: { ...process.env, FORTE_SCHEDULER: "0", ...extraEnv },
    stdout: Bun.file(logFile),
    stderr: Bun.file(logFile),
  });
  procs.add(proc);
  return { proc, t0 };
}

async function stop(proc: Subprocess) {
  if (proc.exitCode === null) {
    proc.kill("SIGTERM");
    const timer = setTimeout(() => proc.kill("SIGKILL"), 20_000);
    await proc.exited;
    clearTimeout(timer);
  }
  procs.delete(proc);
}

function vmHWM(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Cookie jar: name -> value from Set-Cookie headers. */
function absorb(jar: Map<string, string>, r: Response) {
  for (const c of r.headers.getSetCookie()) {
    const [pair] = c.split(";");
    const i = pair.indexOf("=");
    jar.set(pair.slice(0, i).trim(), pair.slice(i + 1).trim());
  }
}
const cookieHeader = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");

/**
 * The sale screen's "scan a UPC + Enter": picks the register (cookie), then each call POSTs /pos/scan as htmx
 * does (HX-Request, CSRF token, Origin) with one of the five bench UPCs, so the ticket keeps five lines whose
 * quantities grow. Resolves to the server-side duration.
 */
async function posAddLine(base: string, jar: Map<string, string>, registerId: string, upcs: string[]): Promise<() => Promise<number | undefined>> {
  const page = await fetch(`${base}/pos/register`, { headers: { Cookie: cookieHeader(jar) } });
  absorb(jar, page);
  const csrf = /name="csrf-token" content="([^"]*)"/.exec(await page.text())?.[1];
  if (!csrf) throw new Error("no CSRF token on /pos/register");
  const post = async (path: string, fields: Record<string, string>, hx: boolean) => {
    const r = await fetch(`${base}${path}`, {
      method: "POST",
      redirect: "manual",
      body: new URLSearchParams({ _csrf: csrf, ...fields }),
      headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookieHeader(jar), Origin: base, ...(hx ? { "HX-Request": "true" } : {}) },
    });
    absorb(jar, r);
    await r.arrayBuffer();
    return r;
  };
  const picked = await post("/pos/register", { register_id: registerId }, false);
  if (picked.status !== 303 && picked.status !== 302) throw new Error(`POST /pos/register -> ${picked.status}`);
  let i = 0;
  return async () => {
    const r = await post("/pos/scan", { code: upcs[i++ % upcs.length] }, true);
    if (r.status !== 200) throw new Error(`POST /pos/scan -> ${r.status}`);
    const m = /(?:^|,)\s*app;dur=([\d.]+)/.exec(r.headers.get("server-timing") ?? "");
    return m ? Number(m[1]) : undefined;
  };
}

let peakRssMb: number | undefined;
let coldStart: { runs: number[]; min: number; median: number } | undefined;
let coldStartDbRunning: { runs: number[]; min: number; median: number } | undefined;

async function main() {
  // 1. Elysia floor
  log("Elysia floor…");
  const app = new Elysia().get("/", () => "ok").listen({ port: 0, hostname: "127.0.0.1" });
  let floorRps = NaN;
  try {
    const s = await load(httpGet(`http://127.0.0.1:${app.server!.port}/`), 4, 3000);
    floorRps = s.rps;
    rows.push({ measure: "floor: bare Elysia GET /", ...s });
  } finally {
    await app.stop();
  }

  // 2. PostgreSQL floor
  log("PostgreSQL floor…");
  const pgDir = mkdtempSync(join(tmpdir(), "forte-bench-pg-"));
  tempDirs.push(pgDir);
  const pg = new EmbeddedPostgres({
    clusterDir: join(pgDir, "pg"),
    port: await freePort(),
    superuser: "bench",
    password: "bench-" + Math.random().toString(36).slice(2),
    logFile: join(pgDir, "postgresql.log"),
  });
  try {
    await pg.init();
    await pg.start();
    const sql = postgres(pg.connectionUrl("postgres"), { max: 1, onnotice: () => {} });
    try {
      const s = await load(async () => void (await sql`select 1`), 1, 2000);
      rows.push({ measure: "floor: postgres `select 1` round trip", ...s });
    } finally {
      await sql.end();
    }
  } finally {
    await pg.stop().catch((e: unknown) => log(`pg stop: ${e}`));
  }

  // 3. Cold start of the compiled binary
  if (!existsSync(bin)) {
    log("dist/forte missing; building (--linux-only)…");
    const b = spawnSync(["bun", "scripts/build.ts", "--linux-only"], { cwd: root, stdout: "inherit", stderr: "inherit", env: { ...process.env, PATH: `${join(root, "node_modules/.bin")}:${process.env.PATH}` } });
    if (b.exitCode !== 0) throw new Error("build failed");
  }
  const work = mkdtempSync(join(tmpdir(), "forte-bench-app-"));
  tempDirs.push(work);
  const dataDir = join(work, "data");
  const logFile = join(work, "serve.log");
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  log("forte admin create…");
  run(["admin", "create", "--data-dir", dataDir, "--username", "bench", "--password", "bench password 1"]);
  log("first serve (warm-up)…");
  {
    const { proc } = serve(dataDir, port, logFile);
    await waitHealthy(base, proc);
    await stop(proc);
  }
  const runs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const { proc, t0 } = serve(dataDir, port, logFile);
    await waitHealthy(base, proc);
    runs.push(performance.now() - t0);
    await stop(proc);
  }
  const sortedRuns = [...runs].sort((a, b) => a - b);
  coldStart = { runs, min: sortedRuns[0], median: sortedRuns[1] };
  rows.push({ measure: "cold start incl. embedded PostgreSQL start (spawn → /healthz 200)", p50: coldStart.median, min: coldStart.min, target: "-", note: `min ${coldStart.min.toFixed(0)} ms, median of 3` });

  // 3b. The spec's measure: cold start with the database already running. The cluster is started here and
  // serve runs in `service` mode (connects, never starts or stops PostgreSQL).
  {
    const cfg = JSON.parse(readFileSync(join(dataDir, "forte.json"), "utf8"));
    const cluster = new EmbeddedPostgres({ clusterDir: join(dataDir, "pg"), port: cfg.database.port, superuser: cfg.database.superuser ?? "forte", password: cfg.database.password });
    await cluster.start();
    try {
      const warm: number[] = [];
      for (let i = 0; i < 3; i++) {
        const { proc, t0 } = serve(dataDir, port, logFile, { FORTE_DATABASE_MODE: "service" });
        await waitHealthy(base, proc);
        warm.push(performance.now() - t0);
        await stop(proc);
      }
      const sortedWarm = [...warm].sort((a, b) => a - b);
      coldStartDbRunning = { runs: warm, min: sortedWarm[0], median: sortedWarm[1] };
      rows.push({ measure: "cold start, database running (spawn → /healthz 200)", p50: coldStartDbRunning.median, min: coldStartDbRunning.min, target: "≤ 1000 ms", note: `min ${coldStartDbRunning.min.toFixed(0)} ms, median of 3` });
    } finally {
      await cluster.stop();
    }
  }

  // 4. Page latencies on the running binary
  log("token + server for page latencies…");
  const token = run(["admin", "token", "create", "--data-dir", dataDir, "--name", "bench"]).trim().split("\n").pop()!.trim();
  const { proc } = serve(dataDir, port, logFile);
  try {
    await waitHealthy(base, proc);
    const s1 = await load(httpGet(`${base}/login`), 4, 2000);
    rows.push({ measure: "GET /login (anonymous)", ...s1, target: "≤ 30 ms p95" });

    const s2 = await load(httpGet(`${base}/api/v1/staff`, { Authorization: `Bearer ${token}` }), 4, 2000);
    rows.push({ measure: "GET /api/v1/staff (Bearer token)", ...s2, target: "≤ 30 ms p95" });

    // Session login through the CSRF-protected form.
    const jar = new Map<string, string>();
    const lr = await fetch(`${base}/login`, { redirect: "manual" });
    absorb(jar, lr);
    const html = await lr.text();
    const csrf = /name="_csrf" value="([^"]*)"/.exec(html)?.[1];
    if (!csrf) throw new Error("no _csrf field on /login");
    const form = new URLSearchParams({ _csrf: csrf, next: "/", username: "bench", password: "bench password 1" });
    const pr = await fetch(`${base}/login`, {
      method: "POST",
      redirect: "manual",
      body: form,
      headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookieHeader(jar), Origin: base },
    });
    absorb(jar, pr);
    await pr.arrayBuffer();
    if (pr.status !== 302 && pr.status !== 303) throw new Error(`POST /login -> ${pr.status}`);
    const s3 = await load(httpGet(`${base}/staff`, { Cookie: cookieHeader(jar) }), 4, 2000);
    rows.push({ measure: "GET /staff (session cookie)", ...s3, target: "≤ 30 ms p95" });

    // Customer search (performance.md) on the search-shaped dataset (scripts/bench-dataset.ts: generate_series
    // SQL straight into the served database, not the services — see that file for why).
    log(`loading the search dataset (${JSON.stringify(BENCH_SIZE)})…`);
    const cfg = JSON.parse(readFileSync(join(dataDir, "forte.json"), "utf8"));
    const db = postgres({ host: "127.0.0.1", port: cfg.database.port, user: cfg.database.superuser ?? "forte", password: cfg.database.password, database: cfg.database.name ?? "forte", max: 1, onnotice: () => {} });
    let sampleAccounts: string[] = [];
    let sampleSkus: string[] = [];
    try {
      const t0 = performance.now();
      await loadSearchDataset(db, BENCH_SIZE);
      const loadMs = performance.now() - t0;
      rows.push({ measure: "search dataset load (25k accounts, 40k members, 8k products, 15k units; SQL)", p50: loadMs, target: "-", note: "generate_series + VACUUM ANALYZE" });
      // Households with members for the account page; SKUs for the counter's product lookup.
      sampleAccounts = (await db`select a.id from accounts a where exists (select 1 from members m where m.account_id = a.id) order by md5(a.id::text) limit 50`).map((r: any) => r.id);
      sampleSkus = (await db`select sku from products order by md5(id::text) limit 50`).map((r: any) => r.sku);
    } finally {
      await db.end();
    }
    const auth = { Authorization: `Bearer ${token}` };
    // Several queries per length, cycled, so one hot query doesn't flatter the figure.
    const searches: [string, string[]][] = [
      ["1 character", ["s", "m", "j", "a", "b", "5"]],
      ["2 characters", ["sm", "jo", "wi", "ma", "br", "55"]],
      ["4 characters", ["smit", "john", "will", "garc", "5550", "trum"]],
    ];
    for (const [label, queries] of searches) {
      let i = 0;
      const s = await load(() => httpGet(`${base}/api/v1/search?q=${encodeURIComponent(queries[i++ % queries.length])}`, auth)(), 4, 5000);
      rows.push({ measure: `customer search, ${label} (GET /api/v1/search, all groups)`, ...s, target: "≤ 15 ms p95" });
    }
    {
      let i = 0;
      const s = await load(() => httpGet(`${base}/customers/${sampleAccounts[i++ % sampleAccounts.length]}`, { Cookie: cookieHeader(jar) })(), 4, 3000);
      rows.push({ measure: "account page (GET /customers/:id, members + audit trail)", ...s, target: "≤ 30 ms p95" });
    }
    {
      let i = 0;
      const s = await load(() => httpGet(`${base}/api/v1/products?q=${encodeURIComponent(sampleSkus[i++ % sampleSkus.length])}&limit=5`, auth)(), 4, 3000);
      rows.push({ measure: "product list searched by SKU (GET /api/v1/products?q=SKU)", ...s, target: "-", note: "the counter's scan lookup is the POS add-line figure (POS issue)" });
    }
    // POS (performance.md "POS add line", "POS checkout, 5 lines, cash"): five stock items with plenty on hand,
    // a drawer session, then checkouts through the API exactly as the sale screen makes them.
    {
      log("POS: products, stock and an open drawer…");
      const api = async (method: string, path: string, body?: unknown, extra: Record<string, string> = {}) => {
        const r = await fetch(`${base}${path}`, { method, headers: { ...auth, "content-type": "application/json", ...extra }, body: body === undefined ? undefined : JSON.stringify(body) });
        const text = await r.text();
        if (r.status >= 300) throw new Error(`${method} ${path} -> ${r.status} ${text.slice(0, 300)}`);
        const m = /(?:^|,)\s*app;dur=([\d.]+)/.exec(r.headers.get("server-timing") ?? "");
        return { json: JSON.parse(text), serverMs: m ? Number(m[1]) : undefined };
      };
      const tax = (await api("POST", "/api/v1/tax-classes", { name: "Bench goods", rate_millipercent: 8875 })).json;
      // Four registers, each ringing up its own five items (registers selling the very same SKUs at the same
      // instant queue on those products' stock rows, which is the stock ledger working as designed).
      const productIds: string[] = [];
      for (let i = 0; i < 20; i++) {
        const p = (await api("POST", "/api/v1/products", { sku: `BENCH-POS-${i}`, upc: `9900000000${String(i).padStart(2, "0")}`, name: `Bench counter item ${i}`, kind: "stock", price_cents: 899 + (i % 5) * 1000, cost_cents: 300 + (i % 5) * 400, tax_class_id: tax.id })).json;
        await api("POST", "/api/v1/stock/adjustments", { product_id: p.id, quantity: 1_000_000, reason: "bench stock", unit_cost_cents: 300 + (i % 5) * 400 });
        productIds.push(p.id);
      }
      const registerId = (await api("GET", "/api/v1/registers")).json.data[0].id;
      const session = (await api("POST", `/api/v1/registers/${registerId}/sessions`, { float_cents: 15000 })).json;
      const linesOf = (worker: number) => productIds.slice(worker * 5, worker * 5 + 5).map((id, i) => ({ product_id: id, quantity: 1 + (i % 3) }));
      const probe = (await api("POST", "/api/v1/sales", { register_session_id: session.id, lines: linesOf(0), tenders: [{ method: "cash", amount_cents: 1_000_000 }] })).json;
      const cash = Math.ceil(probe.total_cents / 2000) * 2000; // the same prices in every set
      let n = 0;
      const s = await load(async (worker) => (await api("POST", "/api/v1/sales", { register_session_id: session.id, lines: linesOf(worker), tenders: [{ method: "cash", amount_cents: cash }] }, { "Idempotency-Key": `bench-${process.pid}-${n++}` })).serverMs, 4, 5000);
      rows.push({ measure: "POS checkout, 5 lines, cash (POST /api/v1/sales with Idempotency-Key)", ...s, target: "≤ 40 ms p95" });
      // One cashier scans at a time at a register (the ticket is locked while a line is added): concurrency 1.
      const addLine = await posAddLine(base, jar, registerId, productIds.slice(0, 5).map((_, i) => `9900000000${String(i).padStart(2, "0")}`));
      const a = await load(addLine, 1, 5000);
      rows.push({ measure: "POS add line (sale screen: POST /pos/scan of a UPC, htmx)", ...a, target: "≤ 15 ms p95" });
    }
    peakRssMb = vmHWM(proc.pid);
  } finally {
    await stop(proc);
  }

  for (const r of rows) if (r.rps !== undefined) r.floorRatio = r.rps / floorRps;

  // 5. Output
  const f = (n?: number, d = 2) => (n === undefined || Number.isNaN(n) ? "-" : n.toFixed(d));
  // Targets (performance.md) are server-side p95; the round trip adds the bench client's own work on the
  // same 2 cores.
  const header = ["measure", "server p50", "server p95", "server p99", "round-trip p50", "round-trip p95", "rps", "target", "rps/floor"];
  const table = rows.map((r) => [
    r.measure,
    f(r.server?.p50),
    f(r.server?.p95),
    f(r.server?.p99),
    f(r.p50),
    f(r.p95),
    f(r.rps, 0),
    r.target ?? "-",
    r.floorRatio === undefined ? "-" : `${(r.floorRatio * 100).toFixed(1)}%`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((t) => t[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(" | ");
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("-|-"));
  for (const t of table) console.log(line(t));
  console.log(`\ncold start runs (ms): ${coldStart.runs.map((x) => x.toFixed(0)).join(", ")} — min ${coldStart.min.toFixed(0)}, median ${coldStart.median.toFixed(0)} (target ≤ 1000 ms)`);
  console.log(`peak RSS of forte serve (VmHWM): ${f(peakRssMb, 1)} MB`);

  const sha = spawnSync(["git", "rev-parse", "--short", "HEAD"], { cwd: root, stdout: "pipe", stderr: "pipe" });
  const id = sha.exitCode === 0 ? sha.stdout.toString().trim() : "nogit";
  const date = new Date().toISOString().slice(0, 10);
  const outDir = join(root, "bench", "results");
  mkdirSync(outDir, { recursive: true });
  const out = join(outDir, `${date}-${id}.json`);
  writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), commit: id, bun: Bun.version, platform: `${process.platform}-${process.arch}`, rows, coldStart, coldStartDbRunning, peakRssMb }, null, 2) + "\n");
  console.log(`\nwrote ${out}`);
}

let code = 0;
try {
  await main();
} catch (e) {
  console.error(`bench: FAILED: ${e instanceof Error ? e.stack ?? e.message : e}`);
  code = 1;
} finally {
  for (const p of procs) await stop(p).catch(() => {});
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
}
process.exit(code);
