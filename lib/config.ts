import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import { z } from "zod";
import { parseTrustedProxies } from "@/lib/http/trusted-proxies";
import { singleton } from "@/lib/singleton";

// Every setting of a running installation, from the environment: the one place that reads it
// (README → Configuration lists each variable and its default; lib/config.test.ts keeps the two
// equal). An empty value counts as unset. A value that is set but invalid stops the process at
// start-up with an error naming the variable — never a silent fallback to the default, which would
// run the service with a limit its operator did not choose.
//
// Not here: variables only the test and benchmark harnesses read (README → Test settings), NODE_ENV
// and NEXT_RUNTIME (set by Next and vitest, not by an operator), and next.config.js's own reads of
// NEXT_DIST_DIR and NODE_ENV (it is CommonJS, loaded by Next before any of this code).

const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .refine((text) => /^\d+$/.test(text) && Number(text) >= min && Number(text) <= max, {
      message: `must be a whole number from ${min} to ${max}`,
    })
    .transform(Number);

const maxMilliseconds = 2_147_483_647; // PostgreSQL's and Node's timers' largest
const logLevels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/** The environment variables, by name, with their types, ranges and defaults. */
const environmentSchema = z.object({
  PORT: wholeNumber(1, 65_535).default(3000),
  // App processes behind the one port. Half the cores: by default PostgreSQL runs on the same machine
  // and needs the other half (on 2 cores, 2 processes measured 0.6–0.8× the rate of 1: bench/README.md).
  OPENCMQ_PROCESSES: wholeNumber(1, 256).default(() => Math.max(1, Math.floor(availableParallelism() / 2))),
  DATABASE_URL: z.string().optional(),
  OPENCMQ_DATA_DIR: z.string().default(".data"),
  OPENCMQ_PG_PORT: wholeNumber(1, 65_535).default(54_329),
  OPENCMQ_OWNER_EMAIL: z.email({ message: "must be an email address" }).default("admin@opencmq.local"),
  OPENCMQ_MASTER_KEY: z.string().optional(),
  NEXTAUTH_SECRET: z.string().optional(),
  NEXTAUTH_URL: z.url({ message: "must be a URL" }).optional(),
  NEXT_DIST_DIR: z.string().default(".next"),
  OPENCMQ_WORKERS: z.enum(["on", "off"], { message: "must be on or off" }).default("on"),
  LOG_LEVEL: z.enum(logLevels, { message: `must be one of ${logLevels.join(", ")}` }).optional(),
  OPENCMQ_POOL_SIZE: wholeNumber(1, 1000).default(10),
  OPENCMQ_COALESCE: z.enum(["on", "off"], { message: "must be on or off" }).default("on"),
  OPENCMQ_STATEMENT_TIMEOUT_MS: wholeNumber(0, maxMilliseconds).default(60_000),
  OPENCMQ_LOCK_TIMEOUT_MS: wholeNumber(1, maxMilliseconds).default(5000),
  OPENCMQ_DB_CONNECT_TIMEOUT_MS: wholeNumber(0, maxMilliseconds).default(5000),
  OPENCMQ_TRUSTED_PROXIES: z.string().default(""),
  OPENCMQ_BODY_TIMEOUT_MS: wholeNumber(1, maxMilliseconds).default(20_000),
  OPENCMQ_MAX_CONCURRENT_HASHES: wholeNumber(1, 1024).default(() =>
    Math.max(1, Math.floor(availableParallelism() / 2)),
  ),
  OPENCMQ_LOGIN_ATTEMPTS_PER_MINUTE: wholeNumber(1, 1_000_000_000).default(20),
  OPENCMQ_PUSH_ALLOW_PRIVATE: z.enum(["on", "off"], { message: "must be on or off" }).default("off"),
  OPENCMQ_PUSH_TIMEOUT_MS: wholeNumber(100, 600_000).default(15_000),
  OPENCMQ_PUSH_POLL_MS: wholeNumber(10, 3_600_000).default(1000),
  OPENCMQ_PUSH_CONCURRENCY: wholeNumber(1, 1024).default(32),
  OPENCMQ_PUSH_CONCURRENCY_PER_SUBSCRIPTION: wholeNumber(1, 1024).default(4),
  OPENCMQ_PUSH_RETRY_UNIT_MS: wholeNumber(1, 1000).default(1000),
  // HTTPS straight from `npm start`: PEM files of the certificate (chain) and its private key, both or neither.
  OPENCMQ_TLS_CERT: z.string().optional(),
  OPENCMQ_TLS_KEY: z.string().optional(),
  OPENCMQ_METRICS: z.enum(["on", "off"], { message: "must be on or off" }).default("on"),
  OPENCMQ_METRICS_RETENTION_DAYS: wholeNumber(3, 3650).default(30),
  OPENCMQ_METRICS_TOKEN: z.string().min(16, { message: "must be at least 16 characters" }).optional(),
  OPENCMQ_ALARM_INTERVAL_MS: wholeNumber(200, 3_600_000).default(30_000),
});

export type SettingName = keyof typeof environmentSchema.shape;
export const settingNames = Object.keys(environmentSchema.shape) as SettingName[];

/** README's default for the settings whose default is not a constant of the schema. */
const describedDefaults: Partial<Record<SettingName, string>> = {
  DATABASE_URL: "— (the embedded PostgreSQL)",
  OPENCMQ_MASTER_KEY: "generated into `.data/secrets.json`",
  NEXTAUTH_SECRET: "generated into `.data/secrets.json`",
  NEXTAUTH_URL: "— (the host each request reached)",
  LOG_LEVEL: "`info` (`warn` under vitest)",
  OPENCMQ_TRUSTED_PROXIES: "— (none)",
  OPENCMQ_MAX_CONCURRENT_HASHES: "half the cores (≥ 1)",
  OPENCMQ_PROCESSES: "half the cores (≥ 1)",
  OPENCMQ_TLS_CERT: "— (plain HTTP)",
  OPENCMQ_TLS_KEY: "— (plain HTTP)",
  OPENCMQ_METRICS_TOKEN: "— (none: `/metrics` takes an API key)",
};

/** A setting's default as the README shows it (the test compares the two). */
export function documentedDefault(name: SettingName): string {
  return describedDefaults[name] ?? `\`${String(environmentSchema.shape[name].parse(undefined))}\``;
}

function toSettings(env: z.infer<typeof environmentSchema>, nodeEnv: string | undefined, ctx: z.RefinementCtx) {
  let trustedProxies: ReturnType<typeof parseTrustedProxies> | undefined;
  try {
    trustedProxies = parseTrustedProxies(env.OPENCMQ_TRUSTED_PROXIES);
  } catch (error) {
    ctx.addIssue({ code: "custom", path: ["OPENCMQ_TRUSTED_PROXIES"], message: (error as Error).message });
    return z.NEVER;
  }
  if (Boolean(env.OPENCMQ_TLS_CERT) !== Boolean(env.OPENCMQ_TLS_KEY)) {
    const missing = env.OPENCMQ_TLS_CERT ? "OPENCMQ_TLS_KEY" : "OPENCMQ_TLS_CERT";
    ctx.addIssue({ code: "custom", path: [missing], message: "must be set with the other of OPENCMQ_TLS_CERT/KEY" });
    return z.NEVER;
  }
  return {
    port: env.PORT,
    processes: env.OPENCMQ_PROCESSES,
    databaseUrl: env.DATABASE_URL,
    dataDir: path.resolve(env.OPENCMQ_DATA_DIR),
    embeddedPgPort: env.OPENCMQ_PG_PORT,
    ownerEmail: env.OPENCMQ_OWNER_EMAIL,
    masterKey: env.OPENCMQ_MASTER_KEY,
    nextAuthSecret: env.NEXTAUTH_SECRET,
    nextAuthUrl: env.NEXTAUTH_URL,
    nextDistDir: env.NEXT_DIST_DIR,
    workers: env.OPENCMQ_WORKERS,
    logLevel: env.LOG_LEVEL ?? (nodeEnv === "test" ? "warn" : "info"),
    poolSize: env.OPENCMQ_POOL_SIZE,
    coalesce: env.OPENCMQ_COALESCE,
    statementTimeoutMs: env.OPENCMQ_STATEMENT_TIMEOUT_MS,
    lockTimeoutMs: env.OPENCMQ_LOCK_TIMEOUT_MS,
    dbConnectTimeoutMs: env.OPENCMQ_DB_CONNECT_TIMEOUT_MS,
    trustedProxies,
    bodyTimeoutMs: env.OPENCMQ_BODY_TIMEOUT_MS,
    maxConcurrentHashes: env.OPENCMQ_MAX_CONCURRENT_HASHES,
    loginAttemptsPerMinute: env.OPENCMQ_LOGIN_ATTEMPTS_PER_MINUTE,
    push: {
      allowPrivate: env.OPENCMQ_PUSH_ALLOW_PRIVATE === "on",
      timeoutMs: env.OPENCMQ_PUSH_TIMEOUT_MS,
      pollMs: env.OPENCMQ_PUSH_POLL_MS,
      concurrency: env.OPENCMQ_PUSH_CONCURRENCY,
      concurrencyPerSubscription: env.OPENCMQ_PUSH_CONCURRENCY_PER_SUBSCRIPTION,
      retryUnitMs: env.OPENCMQ_PUSH_RETRY_UNIT_MS,
    },
    /** PEM file paths for HTTPS; null: the app serves plain HTTP (TLS ends at a proxy, or nowhere). */
    tls:
      env.OPENCMQ_TLS_CERT && env.OPENCMQ_TLS_KEY
        ? { certFile: path.resolve(env.OPENCMQ_TLS_CERT), keyFile: path.resolve(env.OPENCMQ_TLS_KEY) }
        : null,
    metrics: env.OPENCMQ_METRICS,
    metricsRetentionDays: env.OPENCMQ_METRICS_RETENTION_DAYS,
    metricsToken: env.OPENCMQ_METRICS_TOKEN,
    alarmIntervalMs: env.OPENCMQ_ALARM_INTERVAL_MS,
  };
}

export type Settings = Readonly<ReturnType<typeof toSettings>>;

/** Values that would leak a secret if an error message repeated them. */
const secretNames = new Set<string>(["DATABASE_URL", "OPENCMQ_MASTER_KEY", "NEXTAUTH_SECRET", "OPENCMQ_METRICS_TOKEN"]);

export class SettingsError extends Error {}

/** Parses an environment (pure: no caching); throws a SettingsError naming every invalid variable. */
export function parseSettings(env: Record<string, string | undefined>): Settings {
  const given = Object.fromEntries(
    Object.entries(env)
      .map(([name, value]) => [name, value?.trim()] as const)
      .filter(([, value]) => value),
  );
  const result = environmentSchema.transform((parsed, ctx) => toSettings(parsed, env.NODE_ENV, ctx)).safeParse(given);
  if (result.success) return Object.freeze(result.data);
  const problems = result.error.issues.map((issue) => {
    const name = String(issue.path[0]);
    const shown = secretNames.has(name) || given[name] === undefined ? "" : ` (got ${JSON.stringify(given[name])})`;
    return `  ${name}: ${issue.message}${shown}`;
  });
  throw new SettingsError(`Invalid settings in the environment:\n${problems.join("\n")}`);
}

const parsed = singleton<{ current?: Settings }>("settings", () => ({}));

/**
 * The settings of this process: parsed from the environment on first use, then reused (one parse
 * per process, shared by every bundle Next makes). The server calls it at start-up
 * (instrumentation.ts), so an invalid value fails the start, not the first request that reads it.
 */
export function settings(): Settings {
  parsed.current ??= parseSettings(process.env);
  return parsed.current;
}

/**
 * For a server's start-up: the settings, or the process ends with the error naming each invalid
 * variable (Next would log a failed instrumentation hook and serve on, every request failing).
 */
export function settingsOrExit(): Settings {
  try {
    return settings();
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    console.error(`[opencmq] ${error.message}`);
    process.exit(1);
  }
}

/**
 * For starters (npm start, the admin CLI, the benchmark, the test set-up): fills in what they
 * generate, start or choose — secrets, the embedded database's URL, the benchmark's pool size — in
 * the environment, so the processes they spawn inherit it, and parses the settings again. Modules
 * read such values where they use them (the pool, the secret box, next-auth's secret), never into a
 * constant at import, so a starter's own process sees them too.
 */
export function fillInSettings(values: Partial<Record<SettingName, string>>): void {
  for (const [name, value] of Object.entries(values)) if (value !== undefined) process.env[name] = value;
  if (parsed.current) parsed.current = parseSettings(process.env);
}

/**
 * Without NEXTAUTH_URL, next-auth builds its redirects from the host each request reached (its
 * AUTH_TRUST_HOST mode), so a console opened as http://queue.example:3000 never bounces to localhost.
 * Called by the starter; the servers it spawns inherit the environment.
 */
export function fillInAuthOrigin(): void {
  if (!settings().nextAuthUrl) process.env.AUTH_TRUST_HOST = "true";
}

/**
 * Server secrets (master key for SecretKeys at rest, next-auth's signing secret, the embedded
 * PostgreSQL superuser's password): the ones given (from the environment), else generated once into
 * <dataDir>/secrets.json (mode 600) and reused. A secret missing from an older file is added to it.
 */
export function loadServerSecrets(
  dataDir: string,
  given: { masterKey?: string; nextAuthSecret?: string } = {},
): { masterKey: string; nextAuthSecret: string; pgPassword: string } {
  const file = path.join(dataDir, "secrets.json");
  let stored: { masterKey?: string; nextAuthSecret?: string; pgPassword?: string } = {};
  if (existsSync(file)) stored = JSON.parse(readFileSync(file, "utf8"));
  const generate = () => randomBytes(32).toString("base64url");
  const secrets = {
    masterKey: given.masterKey ?? stored.masterKey ?? generate(),
    nextAuthSecret: given.nextAuthSecret ?? stored.nextAuthSecret ?? generate(),
    pgPassword: stored.pgPassword ?? generate(),
  };
  if (!existsSync(file) || !stored.pgPassword) {
    mkdirSync(dataDir, { recursive: true });
    // Keep what an older file held (a secret may have come from the environment this time).
    writeFileSync(file, JSON.stringify({ ...secrets, ...stored, pgPassword: secrets.pgPassword }, null, 2), {
      mode: 0o600,
    });
  }
  return secrets;
}
