import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { contentType, createAssetStore, isSafeAssetPath } from "./assets.ts";

const embedded: Record<string, string> = {
  "views/layouts/main.eta": "<main>embedded layout</main>",
  "views/staff/page.eta": "embedded page",
  "public/css/app.css": "body{color:red}",
  "public/vendor/htmx.min.js": "var htmx;",
  "migrations/0001_foundation.sql": "create table a();",
};

let dir: string;
let custom: string;

function put(rel: string, content: string | Uint8Array) {
  const abs = join(custom, ...rel.split("/"));
  mkdirSync(join(abs, ".."), { recursive: true });
  writeFileSync(abs, content);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "forte-assets-"));
  custom = join(dir, "custom");
  put("views/staff/page.eta", "custom page");
  put("views/staff/extra.eta", "custom extra");
  put("public/css/app.css", "body{color:blue}");
  put("public/img/logo.png", new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0xff, 0x00]));
  put("public/.hidden.css", "hidden");
  put("migrations/0001_foundation.sql", "drop table everything;");
  put("migrations/0099_custom.sql", "select 1;");
  writeFileSync(join(dir, "secret.txt"), "top secret");
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("createAssetStore", () => {
  test("custom override wins over embedded", () => {
    const s = createAssetStore({ customDir: custom, embedded });
    expect(s.read("views/staff/page.eta")).toBe("custom page");
    expect(s.origin("views/staff/page.eta")).toBe("custom");
    expect(s.read("public/css/app.css")).toBe("body{color:blue}");
  });

  test("falls back to embedded when there is no custom file", () => {
    const s = createAssetStore({ customDir: custom, embedded });
    expect(s.read("views/layouts/main.eta")).toBe("<main>embedded layout</main>");
    expect(s.origin("views/layouts/main.eta")).toBe("embedded");
    expect(s.read("public/vendor/htmx.min.js")).toBe("var htmx;");
    expect(s.read("views/missing.eta")).toBeUndefined();
    expect(s.origin("views/missing.eta")).toBeUndefined();
  });

  test("works without a custom dir, with a missing custom dir, and without embedded files", () => {
    expect(createAssetStore({ embedded }).read("views/staff/page.eta")).toBe("embedded page");
    expect(createAssetStore({ customDir: null, embedded }).read("views/staff/page.eta")).toBe("embedded page");
    const missing = createAssetStore({ customDir: join(dir, "nope"), embedded });
    expect(missing.read("views/staff/page.eta")).toBe("embedded page");
    expect(missing.list("views/")).toEqual(["views/layouts/main.eta", "views/staff/page.eta"]);
    expect(createAssetStore({ customDir: custom }).read("views/staff/page.eta")).toBe("custom page");
    expect(createAssetStore().read("views/staff/page.eta")).toBeUndefined();
  });

  test("migrations cannot be overridden from the custom dir", () => {
    const s = createAssetStore({ customDir: custom, embedded });
    expect(s.read("migrations/0001_foundation.sql")).toBe("create table a();");
    expect(s.read("migrations/0099_custom.sql")).toBeUndefined();
    expect(s.list("migrations/")).toEqual(["migrations/0001_foundation.sql"]);
  });

  test("custom files are re-read after they change (no restart)", () => {
    const s = createAssetStore({ customDir: custom, embedded });
    put("views/live.eta", "v1");
    expect(s.read("views/live.eta")).toBe("v1");
    expect(s.read("views/live.eta")).toBe("v1"); // cached
    put("views/live.eta", "v2-longer");
    expect(s.read("views/live.eta")).toBe("v2-longer");
    // Same size, mtime forced forward: still noticed.
    put("views/live.eta", "v3-longer");
    const t = new Date(Date.now() + 5000);
    utimesSync(join(custom, "views", "live.eta"), t, t);
    expect(s.read("views/live.eta")).toBe("v3-longer");
    rmSync(join(custom, "views", "live.eta"));
    expect(s.read("views/live.eta")).toBeUndefined();
  });

  test("a custom file disappearing falls back to embedded", () => {
    const s = createAssetStore({ customDir: custom, embedded });
    put("views/layouts/main.eta", "custom layout");
    expect(s.read("views/layouts/main.eta")).toBe("custom layout");
    rmSync(join(custom, "views", "layouts", "main.eta"));
    expect(s.read("views/layouts/main.eta")).toBe("<main>embedded layout</main>");
  });

  test("readBytes returns raw bytes for binary custom files and UTF-8 for embedded", () => {
    const s = createAssetStore({ customDir: custom, embedded });
    expect(Array.from(s.readBytes("public/img/logo.png")!)).toEqual([0x89, 0x50, 0x4e, 0x47, 0xff, 0x00]);
    expect(new TextDecoder().decode(s.readBytes("public/css/app.css")!)).toBe("body{color:blue}");
    expect(new TextDecoder().decode(s.readBytes("public/vendor/htmx.min.js")!)).toBe("var htmx;");
    expect(s.readBytes("public/nope.png")).toBeUndefined();
  });

  test("path traversal and malformed paths are rejected", () => {
    const s = createAssetStore({ customDir: custom, embedded: { ...embedded, "views/../secret.txt": "x" } });
    const bad = [
      "",
      "../secret.txt",
      "views/../secret.txt",
      "views/../../secret.txt",
      "views/staff/../../secret.txt",
      "/etc/passwd",
      join(dir, "secret.txt"),
      "views\\..\\secret.txt",
      "views/staff\\page.eta",
      "views/staff/page.eta\0.css",
      "C:/Windows/win.ini",
      "views/./staff/page.eta",
      "views//staff/page.eta",
      "views/staff/",
      "..",
      ".",
    ];
    for (const p of bad) {
      expect(isSafeAssetPath(p)).toBe(false);
      expect(s.read(p)).toBeUndefined();
      expect(s.readBytes(p)).toBeUndefined();
      expect(s.origin(p)).toBeUndefined();
    }
    expect(s.list("../")).toEqual([]);
    expect(s.list("views/../")).toEqual([]);
    expect(s.list("/etc/")).toEqual([]);
    expect(s.list("views\\")).toEqual([]);
    expect(isSafeAssetPath("views/staff/page.eta")).toBe(true);
    expect(isSafeAssetPath("public/.well-known/x.txt")).toBe(true);
  });

  test("list returns the sorted union of both layers", () => {
    const s = createAssetStore({ customDir: custom, embedded });
    expect(s.list("views/")).toEqual(["views/layouts/main.eta", "views/staff/extra.eta", "views/staff/page.eta"]);
    expect(s.list("views/staff/")).toEqual(["views/staff/extra.eta", "views/staff/page.eta"]);
    expect(s.list("views/sta")).toEqual(["views/staff/extra.eta", "views/staff/page.eta"]);
    expect(s.list("public/")).toEqual(["public/css/app.css", "public/img/logo.png", "public/vendor/htmx.min.js"]);
    expect(s.list("")).toEqual([
      "migrations/0001_foundation.sql",
      "public/css/app.css",
      "public/img/logo.png",
      "public/vendor/htmx.min.js",
      "views/layouts/main.eta",
      "views/staff/extra.eta",
      "views/staff/page.eta",
    ]);
    expect(s.list("nothing/")).toEqual([]);
  });
});

describe("contentType", () => {
  test("known extensions", () => {
    expect(contentType("public/css/app.css")).toStartWith("text/css");
    expect(contentType("public/vendor/htmx.min.js")).toStartWith("text/javascript");
    expect(contentType("public/img/logo.svg")).toBe("image/svg+xml");
    expect(contentType("public/img/logo.png")).toBe("image/png");
    expect(contentType("public/favicon.ico")).toBe("image/x-icon");
    expect(contentType("public/vendor/VERSIONS.json")).toStartWith("application/json");
    expect(contentType("public/robots.txt")).toStartWith("text/plain");
    expect(contentType("public/fonts/a.woff2")).toBe("font/woff2");
    expect(contentType("public/A.CSS")).toStartWith("text/css");
  });
  test("unknown or missing extension", () => {
    expect(contentType("public/x.bin")).toBe("application/octet-stream");
    expect(contentType("public/Makefile")).toBe("application/octet-stream");
    expect(contentType("public/.css")).toBe("application/octet-stream");
  });
});
