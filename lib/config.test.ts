import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { documentedDefault, fillInSettings, parseSettings, SettingsError, settingNames, settings } from "./config";

const readme = readFileSync("README.md", "utf8");

/** The first table after a heading: each variable of the first column → the second column as written. */
function tableAfter(heading: string): Map<string, string> {
  const start = readme.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`README has no heading ${heading}`);
  const lines = readme.slice(start + heading.length + 2).split("\n");
  const first = lines.findIndex((line) => line.startsWith("|"));
  const rows = new Map<string, string>();
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith("|")) break;
    const [names = "", value = ""] = line.split("|").slice(1, 3);
    for (const name of names.split(",")) rows.set(name.trim().replace(/^`|`$/g, ""), value.trim());
  }
  return rows;
}

describe("settings from the environment", () => {
  it("defaults when nothing is set", () => {
    const defaults = parseSettings({});
    expect(defaults).toMatchObject({
      port: 3000,
      processes: 1,
      databaseUrl: undefined,
      dataDir: path.resolve(".data"),
      embeddedPgPort: 54_329,
      ownerEmail: "admin@opencmq.local",
      masterKey: undefined,
      nextAuthSecret: undefined,
      nextAuthUrl: undefined,
      nextDistDir: ".next",
      workers: "on",
      logLevel: "info",
      poolSize: 10,
      statementTimeoutMs: 60_000,
      dbConnectTimeoutMs: 5000,
      bodyTimeoutMs: 20_000,
      loginAttemptsPerMinute: 20,
      push: {
        allowPrivate: false,
        timeoutMs: 15_000,
        pollMs: 1000,
        concurrency: 32,
        concurrencyPerSubscription: 4,
        retryUnitMs: 1000,
      },
    });
    expect(defaults.trustedProxies.isEmpty).toBe(true);
    expect(defaults.maxConcurrentHashes).toBeGreaterThanOrEqual(1);
    expect(Object.isFrozen(defaults)).toBe(true);
  });

  it("reads each variable, typed; an empty value counts as unset", () => {
    const parsed = parseSettings({
      PORT: "8080",
      OPENCMQ_POOL_SIZE: " 4 ",
      OPENCMQ_STATEMENT_TIMEOUT_MS: "0",
      OPENCMQ_WORKERS: "off",
      LOG_LEVEL: "",
      NODE_ENV: "test",
      OPENCMQ_DATA_DIR: "/var/lib/opencmq",
      OPENCMQ_TRUSTED_PROXIES: "10.0.0.0/8, ::1",
      DATABASE_URL: "postgres://u:p@db:5432/q",
    });
    expect(parsed).toMatchObject({
      port: 8080,
      poolSize: 4,
      statementTimeoutMs: 0,
      workers: "off",
      logLevel: "warn",
      dataDir: "/var/lib/opencmq",
      nextAuthUrl: undefined,
      databaseUrl: "postgres://u:p@db:5432/q",
    });
    expect(parsed.trustedProxies.list.check("10.1.2.3", "ipv4")).toBe(true);
    expect(parsed.trustedProxies.list.check("11.1.2.3", "ipv4")).toBe(false);
  });

  it("an invalid value is an error naming every invalid variable, never a silent default", () => {
    const attempt = () =>
      parseSettings({
        OPENCMQ_POOL_SIZE: "ten",
        PORT: "70000",
        OPENCMQ_BODY_TIMEOUT_MS: "0",
        OPENCMQ_LOGIN_ATTEMPTS_PER_MINUTE: "1.5",
        OPENCMQ_WORKERS: "no",
        LOG_LEVEL: "verbose",
        NEXTAUTH_URL: "localhost",
        OPENCMQ_TRUSTED_PROXIES: "proxy.example",
        OPENCMQ_OWNER_EMAIL: "admin",
      });
    expect(attempt).toThrow(SettingsError);
    expect(attempt).toThrow(
      [
        "Invalid settings in the environment:",
        '  PORT: must be a whole number from 1 to 65535 (got "70000")',
        '  OPENCMQ_OWNER_EMAIL: must be an email address (got "admin")',
        '  NEXTAUTH_URL: must be a URL (got "localhost")',
        '  OPENCMQ_WORKERS: must be on or off (got "no")',
        '  LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent (got "verbose")',
        '  OPENCMQ_POOL_SIZE: must be a whole number from 1 to 1000 (got "ten")',
        '  OPENCMQ_BODY_TIMEOUT_MS: must be a whole number from 1 to 2147483647 (got "0")',
        '  OPENCMQ_LOGIN_ATTEMPTS_PER_MINUTE: must be a whole number from 1 to 1000000000 (got "1.5")',
      ].join("\n"),
    );
    // Checked once the others are valid (it is parsed from the validated text).
    expect(() => parseSettings({ OPENCMQ_TRUSTED_PROXIES: "proxy.example" })).toThrow(
      'OPENCMQ_TRUSTED_PROXIES: "proxy.example" is not an IP address or CIDR (got "proxy.example")',
    );
  });

  it("push settings: private addresses only when switched on, timings in range", () => {
    expect(parseSettings({ OPENCMQ_PUSH_ALLOW_PRIVATE: "on", OPENCMQ_PUSH_RETRY_UNIT_MS: "5" }).push).toMatchObject({
      allowPrivate: true,
      retryUnitMs: 5,
    });
    expect(() => parseSettings({ OPENCMQ_PUSH_ALLOW_PRIVATE: "yes" })).toThrow(
      'OPENCMQ_PUSH_ALLOW_PRIVATE: must be on or off (got "yes")',
    );
    expect(() => parseSettings({ OPENCMQ_PUSH_TIMEOUT_MS: "50" })).toThrow(
      'OPENCMQ_PUSH_TIMEOUT_MS: must be a whole number from 100 to 600000 (got "50")',
    );
  });

  it("HTTPS: a certificate and a key, both or neither", () => {
    expect(parseSettings({}).tls).toBeNull();
    expect(parseSettings({ OPENCMQ_TLS_CERT: "tls/cert.pem", OPENCMQ_TLS_KEY: "/etc/key.pem" }).tls).toEqual({
      certFile: path.resolve("tls/cert.pem"),
      keyFile: "/etc/key.pem",
    });
    expect(() => parseSettings({ OPENCMQ_TLS_CERT: "cert.pem" })).toThrow(
      "Invalid settings in the environment:\n  OPENCMQ_TLS_KEY: must be set with the other of OPENCMQ_TLS_CERT/KEY",
    );
    expect(() => parseSettings({ OPENCMQ_TLS_KEY: "key.pem", OPENCMQ_TLS_CERT: " " })).toThrow(
      "OPENCMQ_TLS_CERT: must be set with the other of OPENCMQ_TLS_CERT/KEY",
    );
  });

  describe("as read by the app", () => {
    const saved = process.env.NEXTAUTH_URL;
    afterEach(() => {
      if (saved === undefined) delete process.env.NEXTAUTH_URL;
      else process.env.NEXTAUTH_URL = saved;
      fillInSettings({});
    });

    it("are parsed once, and again when a starter fills one in", () => {
      expect(settings()).toBe(settings());
      fillInSettings({ NEXTAUTH_URL: "http://queue.example:8080" });
      expect(process.env.NEXTAUTH_URL).toBe("http://queue.example:8080");
      expect(settings().nextAuthUrl).toBe("http://queue.example:8080");
    });
  });
});

describe("README → Configuration", () => {
  const table = tableAfter("## Configuration");

  it("lists every setting with its default, and nothing else", () => {
    expect([...table.keys()].sort()).toEqual([...settingNames].sort());
    for (const name of settingNames) expect(`${name}: ${table.get(name)}`).toBe(`${name}: ${documentedDefault(name)}`);
  });

  it("with the test and benchmark harnesses' own variables, documents every variable the code mentions", () => {
    const testTable = tableAfter("### Test settings");
    // Not ours: Node's, Next's, and next-auth's AUTH_TRUST_HOST (set by fillInAuthOrigin).
    const documented = new Set([...table.keys(), ...testTable.keys(), "NODE_ENV", "NEXT_RUNTIME", "AUTH_TRUST_HOST"]);
    const files = execFileSync("git", ["ls-files", "*.ts", "*.tsx", "*.js", "*.mjs", "*.mts"], { encoding: "utf8" })
      .split("\n")
      .filter((file) => file && !file.startsWith("lib/generated/"));
    const mentioned = new Set<string>();
    for (const file of files) {
      for (const match of readFileSync(file, "utf8").matchAll(/process\.env\.([A-Z][A-Z0-9_]*)/g)) {
        mentioned.add(`${match[1]}`);
      }
    }
    expect([...mentioned].filter((name) => !documented.has(name))).toEqual([]);
    expect([...testTable.keys()].filter((name) => !mentioned.has(name))).toEqual([]);
  });

  it("the app reads the environment only through lib/config.ts", () => {
    const appFiles = execFileSync("git", ["ls-files", "app", "components", "lib", "instrumentation.ts", "proxy.ts"], {
      encoding: "utf8",
    })
      .split("\n")
      .filter((file) => /\.tsx?$/.test(file))
      .filter((file) => !/\.test\.tsx?$/.test(file) && !/^lib\/(generated|testing)\//.test(file))
      .filter((file) => file !== "lib/config.ts");
    const readers = appFiles.filter((file) =>
      // NEXT_RUNTIME is Next's own: which runtime loaded instrumentation.ts.
      /process\.env(?!\.NEXT_RUNTIME\b)/.test(readFileSync(file, "utf8")),
    );
    expect(readers).toEqual([]);
  });
});
