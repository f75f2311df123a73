/**
 * Running PostgreSQL as a dedicated OS user when Forte runs as root.
 *
 * initdb, pg_ctl and postgres all refuse to run as root (a compromised database
 * server must not own the machine). So when Forte is root we create a system
 * user `forte-pg` and run them through `setpriv` (util-linux, no PAM session,
 * no environment rewriting) or, if setpriv is missing, `runuser`.
 * See docs/embedded-postgres.md for the reasoning.
 */
import { chmodSync, statSync } from "node:fs";
import { dirname } from "node:path";

export const PG_OS_USER = "forte-pg";

export interface OsUser {
  name: string;
  uid: number;
  gid: number;
  /** Prefix a command so it runs as this user. */
  wrap(cmd: string[]): string[];
}

// Root's PATH is normally fine, but a service manager may hand us a minimal
// one; the sbin dirs hold useradd/runuser.
const SEARCH_PATH = [process.env.PATH ?? "", "/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"]
  .filter(Boolean)
  .join(":");

export function which(cmd: string): string | null {
  return Bun.which(cmd, { PATH: SEARCH_PATH });
}

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

function run(cmd: string[]): { ok: boolean; stdout: string; stderr: string } {
  // cwd "/": the caller's cwd may be a directory the target user cannot enter.
  const r = Bun.spawnSync(cmd, { cwd: "/", stdout: "pipe", stderr: "pipe", stdin: "ignore" });
  return { ok: r.exitCode === 0, stdout: r.stdout.toString().trim(), stderr: r.stderr.toString().trim() };
}

function lookupIds(name: string): { uid: number; gid: number } | null {
  const u = run(["id", "-u", name]);
  const g = run(["id", "-g", name]);
  if (!u.ok || !g.ok) return null;
  return { uid: Number(u.stdout), gid: Number(g.stdout) };
}

/** Make sure the system user exists (creating it if needed) and return how to run as it. Root only. */
export function ensureOsUser(name: string = PG_OS_USER): OsUser {
  let ids = lookupIds(name);
  if (!ids) {
    const useradd = which("useradd");
    if (!useradd) throw new Error(`Running as root: need OS user "${name}" for PostgreSQL, but "useradd" is not installed`);
    const r = run([useradd, "--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", name]);
    // Another Forte process may have created it concurrently; re-check before failing.
    ids = lookupIds(name);
    if (!ids) throw new Error(`Could not create OS user "${name}": ${r.stderr || "useradd failed"}`);
  }
  const { uid, gid } = ids;

  const setpriv = which("setpriv");
  const runuser = which("runuser");
  let wrap: (cmd: string[]) => string[];
  if (setpriv) {
    wrap = (cmd) => [setpriv, `--reuid=${uid}`, `--regid=${gid}`, "--init-groups", "--", ...cmd];
  } else if (runuser) {
    wrap = (cmd) => [runuser, "-u", name, "--", ...cmd];
  } else {
    throw new Error(`Running as root: need "setpriv" or "runuser" (util-linux) to run PostgreSQL as "${name}"`);
  }
  return { name, uid, gid, wrap };
}

/** Run `test <flag> <path>` as the user: the kernel's answer, ACLs included. */
export function userCan(user: OsUser, flag: "-r" | "-w" | "-x", path: string): boolean {
  return run(user.wrap(["test", flag, path])).ok;
}

function hasSearchPermission(user: OsUser, dir: string): boolean {
  const st = statSync(dir);
  const bits = st.uid === user.uid ? (st.mode >> 6) & 7 : st.gid === user.gid ? (st.mode >> 3) & 7 : st.mode & 7;
  // Mode bits say yes for the common case (0755 dirs) without spawning; when
  // they say no, ask the kernel, since an ACL from an earlier run may allow it.
  return (bits & 1) === 1 || userCan(user, "-x", dir);
}

/**
 * Let `user` traverse (search, x) `dir` and every ancestor of it, so it can
 * reach a path below even when it sits under a 0700 folder such as /root.
 *
 * Only the execute bit is added, never read: the user can open known paths
 * but cannot list the directories. Prefer a POSIX ACL for just this user
 * (`setfacl -m u:forte-pg:x`); without setfacl fall back to `chmod o+x`.
 * Directories the user can already traverse are left untouched.
 */
export function grantTraverse(user: OsUser, dir: string): void {
  const setfacl = which("setfacl");
  for (let d = dir; ; d = dirname(d)) {
    if (!hasSearchPermission(user, d)) {
      let done = false;
      if (setfacl) done = run([setfacl, "-m", `u:${user.name}:x`, d]).ok; // may fail on fs without ACL support
      if (!done) chmodSync(d, (statSync(d).mode & 0o7777) | 0o001);
    }
    if (dirname(d) === d) break;
  }
}
