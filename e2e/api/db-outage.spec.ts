import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { CmqClient } from "@/lib/cmq/client";
import { type EmbeddedDatabase, startEmbeddedPostgres } from "@/lib/db/embedded";
import { startAppServer, stopAppServer } from "../app-server";
import { basicAuth, expect, test, uniqueName } from "../fixtures";

// DESIGN.md §4, invariant 11 (issue 9, item 15): PostgreSQL stopping and starting again under load is
// an outage, not a crash. The app runs on its own embedded PostgreSQL (own data folder and port) so
// the test can stop it: during the outage every request answers, quickly, with REST 503 +
// Retry-After or CMQ 6000; the process stays up; after the restart it serves again without help,
// and every acknowledged send is there.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ANSWER_WITHIN_MS = 15_000; // "no hang": each request must answer within this

type Outcome = {
  phase: "before" | "outage" | "after";
  api: "rest" | "cmq";
  status: number;
  code?: string | number;
  retryAfter?: string | null;
  ms: number;
};

test("PostgreSQL stopped and restarted under load: 503/6000 meanwhile, no hang, no crash, nothing acknowledged lost", async ({
  baseURL,
}) => {
  test.setTimeout(180_000);
  const appPort = Number(new URL(String(baseURL)).port) + 61;
  const pgPort = appPort + 51_000;
  const dataDir = path.join(process.cwd(), ".data", `outage-pg-${pgPort}`);
  rmSync(dataDir, { recursive: true, force: true });
  const pgOptions = { dataDir, port: pgPort, database: "opencmq" };
  let db: EmbeddedDatabase = await startEmbeddedPostgres(pgOptions);

  // An account in that database, through the admin CLI (which also migrates it).
  const email = `${uniqueName("outage")}@e2e.test`;
  const created = spawnSync(
    process.execPath,
    [
      require.resolve("tsx/cli"),
      "scripts/admin.ts",
      "accounts",
      "create",
      "--name",
      uniqueName("acct"),
      "--email",
      email,
    ],
    { env: { ...process.env, DATABASE_URL: db.url, OPENCMQ_DATA_DIR: dataDir }, encoding: "utf8" },
  );
  const secretId = /API SecretId\s+(\S+)/.exec(created.stdout)?.[1] ?? "";
  const secretKey = /API SecretKey\s+(\S+)/.exec(created.stdout)?.[1] ?? "";
  expect(secretId, created.stderr).toMatch(/^AKID/);

  const savedUrl = process.env.DATABASE_URL;
  process.env.DATABASE_URL = db.url; // read by the spawned app only
  const starting = startAppServer(appPort); // spawns at once, with the environment of this moment
  process.env.DATABASE_URL = savedUrl;
  const { server, url, ready } = await starting;
  try {
    await ready;
    const auth = { authorization: basicAuth(secretId, secretKey), "content-type": "application/json" };
    const name = uniqueName("outage");
    expect(
      (await fetch(`${url}/api/v1/queues`, { method: "POST", headers: auth, body: JSON.stringify({ name }) })).status,
    ).toBe(201);
    const cmq = new CmqClient({ endpoint: url, secretId, secretKey });

    let phase: Outcome["phase"] = "before";
    let stop = false;
    const acknowledged = new Set<string>();
    const outcomes: Outcome[] = [];
    let unanswered = 0;
    const restSender = async (n: number) => {
      for (let i = 0; !stop; i++) {
        const at = phase;
        const t0 = Date.now();
        try {
          const res = await fetch(`${url}/api/v1/queues/${name}/messages`, {
            method: "POST",
            headers: auth,
            body: JSON.stringify({ messages: Array.from({ length: 4 }, (_, j) => ({ body: `r${n}-${i}-${j}` })) }),
            signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
          });
          const body = await res.json();
          if (res.status === 201) for (const m of body.messages) acknowledged.add(m.id);
          const retryAfter = res.headers.get("retry-after");
          outcomes.push({
            phase: at,
            api: "rest",
            status: res.status,
            code: body.error?.code,
            retryAfter,
            ms: Date.now() - t0,
          });
          if (res.status !== 201) await sleep(50);
        } catch {
          unanswered++;
        }
      }
    };
    const cmqSender = async (n: number) => {
      for (let i = 0; !stop; i++) {
        const at = phase;
        const t0 = Date.now();
        try {
          const res = await cmq.call(
            "SendMessage",
            { queueName: name, msgBody: `c${n}-${i}` },
            { signal: AbortSignal.timeout(ANSWER_WITHIN_MS) },
          );
          if (res.code === 0) acknowledged.add(String(res.msgId));
          outcomes.push({ phase: at, api: "cmq", status: 200, code: res.code, ms: Date.now() - t0 });
          if (res.code !== 0) await sleep(50);
        } catch {
          unanswered++;
        }
      }
    };
    const senders = [...Array.from({ length: 6 }, (_, n) => restSender(n)), ...[0, 1].map(cmqSender)];

    await sleep(1500);
    phase = "outage";
    await db.stop();
    await sleep(4000);
    expect(server.exitCode, "the app process must survive the outage").toBeNull();
    // A load balancer's health check sees the outage too, with the same retry hint.
    const health = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(ANSWER_WITHIN_MS) });
    expect([health.status, health.headers.get("retry-after")]).toEqual([503, "2"]);
    // Liveness is the process's alone (restarting it would not bring the database back); readiness fails.
    const liveness = await fetch(`${url}/api/health/live`, { signal: AbortSignal.timeout(ANSWER_WITHIN_MS) });
    expect([liveness.status, await liveness.json()]).toEqual([200, { status: "live" }]);
    const readiness = await fetch(`${url}/api/health/ready`, { signal: AbortSignal.timeout(ANSWER_WITHIN_MS) });
    expect([readiness.status, readiness.headers.get("retry-after"), (await readiness.json()).error.code]).toEqual([
      503,
      "2",
      "UNAVAILABLE",
    ]);
    db = await startEmbeddedPostgres(pgOptions);
    phase = "after";
    const restartedAt = Date.now();
    // Recovery without a restart of the app: sends succeed again within a bounded time.
    const recoveredBy = Date.now() + 20_000;
    while (!outcomes.some((o) => o.phase === "after" && (o.status === 201 || (o.api === "cmq" && o.code === 0)))) {
      if (Date.now() > recoveredBy) break;
      await sleep(100);
    }
    const recoveryMs = Date.now() - restartedAt;
    await sleep(1000);
    stop = true;
    await Promise.all(senders);

    const during = outcomes.filter((o) => o.phase === "outage");
    const refused = during.filter((o) => o.status === 503 || o.code === 6000);
    expect(server.exitCode, "the app process must survive the outage").toBeNull();
    expect(unanswered, "requests that did not answer within the bound (or lost their connection)").toBe(0);
    expect(outcomes.filter((o) => o.status >= 500 && o.status !== 503)).toEqual([]);
    expect(new Set(during.filter((o) => o.api === "rest").map((o) => `${o.status} ${o.code ?? ""}`))).toEqual(
      new Set(["503 UNAVAILABLE", ...(during.some((o) => o.status === 201) ? ["201 "] : [])]),
    );
    expect(during.filter((o) => o.api === "cmq" && o.code !== 0 && o.code !== 6000)).toEqual([]);
    expect(refused.filter((o) => o.api === "rest").length).toBeGreaterThan(0);
    expect(refused.filter((o) => o.api === "cmq").length).toBeGreaterThan(0);
    expect(new Set(outcomes.filter((o) => o.status === 503).map((o) => o.retryAfter))).toEqual(new Set(["2"]));
    const after = outcomes.filter((o) => o.phase === "after");
    expect(after.filter((o) => o.status === 201 || (o.api === "cmq" && o.code === 0)).length).toBeGreaterThan(0);

    // Every acknowledged send is there: received through the API, and in the table.
    const received = new Set<string>();
    for (;;) {
      const res = await fetch(`${url}/api/v1/queues/${name}/messages/receive`, {
        method: "POST",
        headers: auth,
        body: JSON.stringify({ max: 16, waitSeconds: 0, visibilityTimeout: 300 }),
      });
      expect(res.status).toBe(200);
      const { messages } = (await res.json()) as { messages: { id: string }[] };
      if (messages.length === 0) break;
      for (const m of messages) received.add(m.id);
    }
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query<{ id: string }>("SELECT id::text FROM message WHERE id = ANY($1::bigint[])", [
      [...acknowledged],
    ]);
    await client.end();
    const lost = [...acknowledged].filter((id) => !received.has(id));
    console.log(
      `db-outage: acknowledged ${acknowledged.size}, received ${[...acknowledged].filter((id) => received.has(id)).length}, lost ${lost.length}; ` +
        `in the table ${rows.length}; refused during the outage ${refused.length} of ${during.length} (REST 503 + Retry-After, CMQ 6000), slowest answer then ${Math.max(...during.map((o) => o.ms))} ms; ` +
        `serving again ${recoveryMs} ms after PostgreSQL was back`,
    );
    expect(acknowledged.size).toBeGreaterThan(50);
    expect(lost).toEqual([]);
    expect(rows.length).toBe(acknowledged.size);
  } finally {
    await stopAppServer(server);
    await db.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
