import { spawnSync } from "node:child_process";
import http from "node:http";
import net from "node:net";
import { createThrowawayDatabase } from "@/lib/testing/throwaway-database";
import { startAppServer, startNextServer, stopAppServer } from "../app-server";
import { basicAuth, expect, type Owner, test, uniqueName } from "../fixtures";
import { rawCmq } from "../raw-cmq";

// The front (lib/front) answers the data plane's paths itself and everything else through Next.
// These journeys hold it to "one implementation of each endpoint": for the same requests, the front
// and plain `next start` (Next's routing for every path) over the same database answer alike.

// Transport details that legitimately differ: the front knows each body's length (so, like Next's
// compression middleware with a known length, it leaves bodies under 1 KiB uncompressed).
const transportHeaders = new Set([
  "date",
  "connection",
  "keep-alive",
  "transfer-encoding",
  "content-length",
  "content-encoding",
]);

type Answer = { status: number; headers: Record<string, string>; body: unknown };

async function ask(base: string, path: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(new URL(path, base), { redirect: "manual", ...init });
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (!transportHeaders.has(name)) headers[name] = value;
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: response.status, headers, body: redact(body) };
}

// Ids, handles, timestamps, request ids and rates (a window that moves with the clock) differ between
// two calls; their presence and type do not.
function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, v]) => [
        key,
        /^(id|msgId|requestId|receiptHandle|enqueuedAt|firstDequeuedAt|nextVisibleAt|createdAt|updatedAt|countsAt|countedAt|location|sendPerSecond|receivePerSecond|deletePerSecond)$/i.test(
          key,
        )
          ? typeof v
          : redact(v),
      ]),
    );
  }
  return value;
}

test("the front answers its paths as Next's routing does, errors and headers included", async ({
  owner,
  baseURL,
  api,
}) => {
  test.setTimeout(120_000); // starts a server of its own
  const port = Number(new URL(String(baseURL)).port) + 70;
  const next = await startNextServer(port);
  try {
    await next.ready;
    const front = String(baseURL);
    const queue = uniqueName("front");
    const empty = `${queue}-empty`; // stays empty: receives on both sides find the same nothing
    for (const name of [queue, empty]) await api.post("/api/v1/queues", { data: { name } });
    const auth = { authorization: basicAuth(owner.secretId, owner.secretKey) };
    const json = { ...auth, "content-type": "application/json" };
    const messages = `/api/v1/queues/${queue}/messages`;
    const cases: [string, string, RequestInit][] = [
      ["send", messages, { method: "POST", headers: json, body: JSON.stringify({ messages: [{ body: "a" }] }) }],
      ["send, bad JSON", messages, { method: "POST", headers: json, body: "{" }],
      [
        "send, wrong type",
        messages,
        { method: "POST", headers: json, body: JSON.stringify({ messages: [{ body: 1 }] }) },
      ],
      ["send, too large", messages, { method: "POST", headers: json, body: "x".repeat(5 * 1024 * 1024) }],
      ["send, no credentials", messages, { method: "POST", body: "{}" }],
      [
        "send, unknown queue",
        `/api/v1/queues/${queue}-none/messages`,
        { method: "POST", headers: json, body: JSON.stringify({ messages: [{ body: "a" }] }) },
      ],
      ["peek", `${messages}?state=visible&limit=5`, { headers: auth }],
      ["method not allowed", messages, { method: "PUT", headers: auth }],
      [
        "receive, nothing to receive",
        `/api/v1/queues/${empty}/messages/receive`,
        { method: "POST", headers: json, body: JSON.stringify({ max: 16, waitSeconds: 0 }) },
      ],
      ["receive, GET", `${messages}/receive`, { headers: auth }],
      [
        "delete, stale handle",
        `${messages}/delete`,
        {
          method: "POST",
          headers: json,
          body: JSON.stringify({ receiptHandles: ["1:00000000000000000000000000000000"] }),
        },
      ],
      ["CMQ, unsigned", "/v2/index.php", { method: "POST", body: "Action=ListQueue" }],
      ["CMQ, PUT", "/v2/index.php", { method: "PUT", body: "" }],
      ["CMQ at /, unsigned", "/", { method: "POST", body: "Action=ListQueue" }],
      ["console door", "/", {}],
    ];
    for (const [name, path, init] of cases) {
      const fromFront = await ask(front, path, init);
      const fromNext = await ask(next.url, path, init);
      // A redirect may name the server's own origin (or none: relative); the rest of it must agree.
      for (const answer of [fromFront, fromNext]) {
        if (answer.headers.location) answer.headers.location = new URL(answer.headers.location, "http://x").pathname;
      }
      expect(fromFront, name).toEqual(fromNext);
    }
    // Signed CMQ calls, at both CMQ paths (each signs its own host, as an SDK does).
    for (const path of ["/v2/index.php", "/"]) {
      const list = (base: string) =>
        rawCmq(base, owner as Owner, { Action: "ListQueue", searchWord: queue }, {}, { path });
      expect(redact(await list(front))).toEqual(redact(await list(next.url)));
    }
  } finally {
    await stopAppServer(next.server);
  }
});

test("two app processes on one port: a send through one wakes receivers waiting on the other", async ({
  owner,
  baseURL,
}) => {
  test.setTimeout(120_000); // starts a server of its own
  const port = Number(new URL(String(baseURL)).port) + 80;
  const app = await startAppServer(port, { env: { OPENCMQ_PROCESSES: "2" } });
  try {
    await app.ready;
    await expectWakeUpsAcrossProcesses(app.url, owner);
  } finally {
    await stopAppServer(app.server);
  }
});

test("two app processes alone on their database, whose URL names its sessions, wake each other's receivers", async ({
  baseURL,
}) => {
  // An application_name in DATABASE_URL overrode the wake-up listeners' own names: the processes
  // never counted each other as peers, announced nothing, and a receiver on the other process waited
  // for the 10 s safety net (the bench's two-process W5 p99 of ~9 s). On the shared e2e database the
  // suite's own server is a correctly named peer and hides that, so these processes get a database
  // of their own.
  test.setTimeout(120_000);
  const database = await createThrowawayDatabase("procs");
  const url = new URL(database.url);
  url.searchParams.set("application_name", "opencmq-e2e-deployment");
  const port = Number(new URL(String(baseURL)).port) + 82;
  const app = await startAppServer(port, { env: { OPENCMQ_PROCESSES: "2", DATABASE_URL: url.toString() } });
  try {
    const owner = createAccountWithTheCli(url.toString());
    await app.ready;
    await expectWakeUpsAcrossProcesses(app.url, owner);
  } finally {
    await stopAppServer(app.server);
    await database.drop();
  }
});

/** An account with an API key, made by `npm run admin` in the given database. */
function createAccountWithTheCli(databaseUrl: string): { secretId: string; secretKey: string } {
  const name = uniqueName("procs");
  const cli = spawnSync(
    process.execPath,
    ["--import", "tsx", "scripts/admin.ts", "accounts", "create", "--name", name, "--email", `${name}@e2e.test`],
    { env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: "warn" }, encoding: "utf8" },
  );
  const secretId = /API SecretId\s+(\S+)/.exec(cli.stdout)?.[1];
  const secretKey = /API SecretKey\s+(\S+)/.exec(cli.stdout)?.[1];
  if (!secretId || !secretKey) throw new Error(`npm run admin failed: ${cli.stdout}${cli.stderr}`);
  return { secretId, secretKey };
}

/**
 * Eight receivers wait on one queue over both processes; one send of eight messages through one
 * process must wake them all within 2 s — the others only across processes, not by a re-check.
 */
async function expectWakeUpsAcrossProcesses(appUrl: string, owner: { secretId: string; secretKey: string }) {
  const auth = { authorization: basicAuth(owner.secretId, owner.secretKey), "content-type": "application/json" };
  const queue = uniqueName("procs");
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${appUrl}${path}`, { method: "POST", headers: { ...auth, ...headers }, body: JSON.stringify(body) });
  expect((await post("/api/v1/queues", { name: queue })).status).toBe(201);
  // Each process notices its peer within a second of its LISTEN connection coming up (before
  // that, a lone process announces nothing). Meanwhile, a first receive warms up each process (a
  // cold process's first request can take seconds on a busy machine, which is not a wake-up's fault).
  const warmUps = Array.from({ length: 4 }, () =>
    post(`/api/v1/queues/${queue}/messages/receive`, { waitSeconds: 0 }, { connection: "close" }),
  );
  for (const warmUp of await Promise.all(warmUps)) expect(warmUp.status).toBe(200);
  await new Promise((r) => setTimeout(r, 2500));
  // Eight receivers wait 20 s, each on a connection of its own: the cluster hands connections to
  // its processes in turn, so both processes hold waiters.
  const waitingSince = Date.now();
  const waits = Array.from({ length: 8 }, () =>
    post(`/api/v1/queues/${queue}/messages/receive`, { waitSeconds: 20 }, { connection: "close" }).then(async (r) => ({
      at: Date.now(),
      body: (await r.json()) as { messages: { body: string }[] },
    })),
  );
  await new Promise((r) => setTimeout(r, 500));
  // One send of eight messages, through one process: it wakes that process's own waiters at once;
  // the other process's waiters can only be woken across processes.
  const batch = { messages: Array.from({ length: 8 }, (_, i) => ({ body: `m${i}` })) };
  expect((await post(`/api/v1/queues/${queue}/messages`, batch)).status).toBe(201);
  const sentAt = Date.now();
  const received = await Promise.all(waits);
  expect(received.flatMap((r) => r.body.messages.map((m) => m.body)).sort()).toEqual(
    Array.from({ length: 8 }, (_, i) => `m${i}`),
  );
  // Woken by the sends, not found by a re-check: with the LISTEN connection up, a waiter re-checks
  // only 10 s after it started waiting — seconds after the send, had its wake-up not arrived.
  expect(sentAt - waitingSince, "the send took too long for the test to tell").toBeLessThan(7000);
  console.log(
    sentAt - waitingSince,
    received.map((r) => r.at - sentAt),
  );
  for (const { at } of received) expect(at - sentAt).toBeLessThan(2000);
}

test("a long poll its client gives up takes no message (REST and CMQ through the front)", async ({
  owner,
  api,
  baseURL,
}) => {
  // The front makes a request's abort signal only when a handler asks for it (a long poll): a waiter
  // whose client hung up must still leave, or the next send would wake it and lease the message to
  // nobody (invisible for its visibility timeout).
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const auth = { authorization: basicAuth(owner.secretId, owner.secretKey), "content-type": "application/json" };
  const giveUp = async (start: (signal: AbortSignal) => Promise<unknown>) => {
    const abort = new AbortController();
    const waiting = start(abort.signal).then(
      () => "answered",
      () => "given up",
    );
    await sleep(500);
    abort.abort();
    expect(await waiting).toBe("given up");
    await sleep(300); // the server sees the connection close
  };
  for (const via of ["rest", "cmq"] as const) {
    const queue = uniqueName(`gaveup-${via}`);
    expect((await api.post("/api/v1/queues", { data: { name: queue } })).status()).toBe(201);
    await giveUp((signal) =>
      via === "rest"
        ? fetch(`${baseURL}/api/v1/queues/${queue}/messages/receive`, {
            method: "POST",
            headers: auth,
            body: JSON.stringify({ waitSeconds: 20 }),
            signal,
          })
        : rawCmq(
            String(baseURL),
            owner,
            { Action: "ReceiveMessage", queueName: queue, pollingWaitSeconds: "20" },
            {},
            { signal },
          ),
    );
    const sent = await api.post(`/api/v1/queues/${queue}/messages`, { data: { messages: [{ body: via }] } });
    expect(sent.status()).toBe(201);
    const received = await api.post(`/api/v1/queues/${queue}/messages/receive`, { data: { waitSeconds: 2 } });
    expect((await received.json()).messages.map((m: { body: string }) => m.body)).toEqual([via]);
  }
});

test("a body the handler never read does not spoil the connection for the next request", async ({ baseURL }) => {
  // One kept-alive connection: a send refused before its body is read (wrong credentials), then a
  // health check. Left in the connection, the unread body would stall the second request.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const { hostname, port } = new URL(String(baseURL));
  const request = (method: string, path: string, body = "", headers: Record<string, string> = {}) =>
    new Promise<number>((resolve, reject) => {
      const req = http.request({ host: hostname, port, method, path, agent, headers }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      });
      req.on("error", reject);
      req.setTimeout(10_000, () => req.destroy(new Error("no answer on the kept-alive connection")));
      req.end(body);
    });
  try {
    for (const size of [100, 300_000]) {
      const wrongKey = { authorization: basicAuth("AKIDnobody", "wrong"), "content-type": "application/json" };
      expect(await request("POST", "/api/v1/queues/any/messages", "x".repeat(size), wrongKey)).toBe(401);
      expect(await request("GET", "/api/health")).toBe(200);
    }
  } finally {
    agent.destroy();
  }
});

test("several processes on a port that is taken: the start fails and ends, instead of restarting forever", async ({
  baseURL,
}) => {
  test.setTimeout(120_000); // starts a server of its own
  const port = Number(new URL(String(baseURL)).port) + 81;
  const squatter = net.createServer().listen(port, "0.0.0.0");
  await new Promise((r) => squatter.once("listening", r));
  try {
    const app = await startAppServer(port, { env: { OPENCMQ_PROCESSES: "2" } });
    await expect(app.ready).rejects.toThrow("exited with code 1");
  } finally {
    squatter.close();
  }
});
