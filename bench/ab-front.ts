// `OPENCMQ_TEST_PG_PORT=<port> npx tsx bench/ab-front.ts --a .next --b .next-after [--port 3661]
//  [--rounds 5] [--seconds 3] [--connections 16] [--only rest-send,cmq-send,…]`
//  (`--b next:.next`: the same build under plain `next start`, for × next ratios)
//
// Two builds of the front (say, before and after a change), one app process each, on one throwaway
// database of the test cluster, measured in turns: each round runs every workload on A and on B
// (the order alternating), with the server not being measured frozen (SIGSTOP). On a machine shared
// with other work, a full bench's absolute rates drift from minute to minute; interleaving short
// windows cancels most of that drift, and CPU per request (the server's own /proc ticks ÷ requests)
// is far less sensitive to neighbours than a rate. It prints, per workload, the medians for A and
// B: requests/s, server CPU µs per request, and B ÷ A. Workers are off in both servers (no sweeps,
// no wake-up listener), so an idle server does nothing while the other is measured.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { parseArgs } from "node:util";
import { fillInSettings } from "@/lib/config";
import { createThrowawayDatabase } from "@/lib/testing/throwaway-database";
import { cmqList, createCmqCaller } from "./cmq";
import { processTree } from "./cpu";
import { createHttpClient } from "./http";
import { median } from "./loop";

const { values } = parseArgs({
  options: {
    a: { type: "string", default: ".next" },
    b: { type: "string", default: ".next-after" },
    port: { type: "string", default: "3661" },
    rounds: { type: "string", default: "5" },
    seconds: { type: "string", default: "3" },
    connections: { type: "string", default: "16" },
    only: { type: "string" },
  },
});
const rounds = Number(values.rounds);
const windowMs = Number(values.seconds) * 1000;
const connections = Number(values.connections);
const TICKS = 100;

type Server = { label: string; dist: string; url: string; child: ChildProcess };

function cpuSeconds(pid: number): number {
  let ticks = 0;
  for (const member of processTree(pid)) {
    try {
      const stat = readFileSync(`/proc/${member}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {}
  }
  return ticks / TICKS;
}

async function main() {
  for (const dist of [values.a, values.b]) {
    const distDir = dist.replace(/^next:/, "");
    if (!existsSync(path.join(distDir, "front", "server.js"))) throw new Error(`no front build in ${distDir}`);
  }
  const database = await createThrowawayDatabase("ab");
  const masterKey = randomBytes(32).toString("base64url");
  fillInSettings({ DATABASE_URL: database.url, OPENCMQ_MASTER_KEY: masterKey });
  const { createAccountWithOwner } = await import("@/lib/services/accounts");
  const { getPool, closePool } = await import("@/lib/db/pool");
  const owner = await createAccountWithOwner({ accountName: "ab", email: `ab-${Date.now()}@opencmq.local` });
  const servers: Server[] = [];
  try {
    for (const [i, dist] of [values.a, values.b].entries()) {
      const port = Number(values.port) + i;
      // "next:<dist>": that build under plain `next start` (the Next-routed path) instead of its front.
      const isNext = dist.startsWith("next:");
      const distDir = isNext ? dist.slice("next:".length) : dist;
      const args = isNext
        ? [
            createRequire(path.join(process.cwd(), "package.json")).resolve("next/dist/bin/next"),
            "start",
            "-p",
            String(port),
          ]
        : [path.join(distDir, "front", "server.js")];
      const child = spawn(process.execPath, args, {
        stdio: "ignore",
        env: {
          ...process.env,
          PORT: String(port),
          DATABASE_URL: database.url,
          OPENCMQ_MASTER_KEY: masterKey,
          NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
          NEXTAUTH_URL: `http://127.0.0.1:${port}`,
          NEXT_DIST_DIR: distDir,
          OPENCMQ_PROCESSES: "1",
          OPENCMQ_WORKERS: "off",
          LOG_LEVEL: "warn",
        },
      });
      servers.push({ label: i === 0 ? "A" : "B", dist, url: `http://127.0.0.1:${port}`, child });
    }
    for (const server of servers) await waitHealthy(server.url);

    // A fresh client (fresh connections) per window: a server thawed after more than its keep-alive
    // timeout closes its idle sockets at once, racing the next request on them.
    const connect = (server: Server) => {
      const http = createHttpClient({
        baseUrl: server.url,
        connections,
        basicAuth: { user: owner.secretId, password: owner.secretKey },
      });
      const cmq = createCmqCaller({
        http,
        host: new URL(server.url).host,
        secretId: owner.secretId,
        secretKey: owner.secretKey,
      });
      return { http, cmq };
    };
    const queueName = `ab-${Date.now().toString(36)}`;
    const setup = connect(servers[0] as Server);
    const created = await setup.http.post("/api/v1/queues", { name: queueName });
    setup.http.close();
    if (created?.status !== 201) throw new Error(`create queue: HTTP ${created?.status}`);
    const { rows } = await getPool().query<{ id: string }>("SELECT id FROM queue WHERE name = $1", [queueName]);
    const queueId = rows[0]?.id;
    const prefill = async (n: number) => {
      await getPool().query("DELETE FROM message WHERE queue_id = $1", [queueId]);
      await getPool().query(
        "INSERT INTO message (queue_id, body, visible_at) SELECT $1, 'ab drain', now() FROM generate_series(1, $2)",
        [queueId, n],
      );
    };
    const body = "x".repeat(100);
    type Client = ReturnType<typeof connect>;
    // Each workload: HTTP requests per op, and the op.
    const workloads: Record<string, { requests: number; prefill?: number; op: (c: Client) => Promise<void> }> = {
      "rest-send": {
        requests: 1,
        op: async (c) =>
          expectStatus(await c.http.post(`/api/v1/queues/${queueName}/messages`, { messages: [{ body }] }), 201),
      },
      "cmq-send": {
        requests: 1,
        op: async (c) => expectCode(await c.cmq("SendMessage", { queueName, msgBody: body })),
      },
      "rest-drain1": {
        requests: 2,
        prefill: 20_000,
        op: async (c) => {
          const r = await c.http.post(`/api/v1/queues/${queueName}/messages/receive`, { max: 1, waitSeconds: 0 });
          const handles = (r.json as { messages: { receiptHandle: string }[] }).messages.map((m) => m.receiptHandle);
          if (handles.length === 0) throw new Error("drained");
          expectStatus(
            await c.http.post(`/api/v1/queues/${queueName}/messages/delete`, { receiptHandles: handles }),
            200,
          );
        },
      },
      "cmq-drain1": {
        requests: 2,
        prefill: 20_000,
        op: async (c) => {
          const r = await c.cmq("ReceiveMessage", { queueName, pollingWaitSeconds: 0 });
          expectCode(r);
          expectCode(await c.cmq("DeleteMessage", { queueName, receiptHandle: String(r.receiptHandle) }));
        },
      },
      "rest-drain16": {
        requests: 2,
        prefill: 100_000,
        op: async (c) => {
          const r = await c.http.post(`/api/v1/queues/${queueName}/messages/receive`, { max: 16, waitSeconds: 0 });
          const handles = (r.json as { messages: { receiptHandle: string }[] }).messages.map((m) => m.receiptHandle);
          if (handles.length === 0) throw new Error("drained");
          expectStatus(
            await c.http.post(`/api/v1/queues/${queueName}/messages/delete`, { receiptHandles: handles }),
            200,
          );
        },
      },
      "cmq-drain16": {
        requests: 2,
        prefill: 100_000,
        op: async (c) => {
          const r = await c.cmq("BatchReceiveMessage", { queueName, numOfMsg: 16, pollingWaitSeconds: 0 });
          expectCode(r);
          const handles = (r.msgInfoList as { receiptHandle: string }[]).map((m) => m.receiptHandle);
          expectCode(await c.cmq("BatchDeleteMessage", { queueName, ...cmqList("receiptHandle", handles) }));
        },
      },
    };
    const chosen = values.only ? values.only.split(",") : Object.keys(workloads);
    const results = new Map<string, { rate: number[]; cpu: number[] }[]>();
    for (const name of chosen)
      results.set(name, [
        { rate: [], cpu: [] },
        { rate: [], cpu: [] },
      ]);

    const freeze = (server: Server, stop: boolean) => {
      for (const pid of processTree(server.child.pid ?? 0)) process.kill(pid, stop ? "SIGSTOP" : "SIGCONT");
    };
    // Warm-up, not recorded: each server's JIT compiles the paths before the first measured window.
    for (const name of chosen) {
      for (const [i, server] of servers.entries()) {
        const workload = workloads[name];
        if (!workload) throw new Error(`unknown workload ${name}`);
        if (workload.prefill) await prefill(workload.prefill);
        const client = connect(server);
        freeze(servers[1 - i] as Server, true);
        try {
          await closedLoop(client, workload, server.child.pid ?? 0);
        } finally {
          client.http.close();
          freeze(servers[1 - i] as Server, false);
        }
      }
    }
    console.log("warmed up");
    for (let round = 0; round < rounds; round++) {
      for (const name of chosen) {
        const workload = workloads[name];
        if (!workload) throw new Error(`unknown workload ${name}`);
        const order = round % 2 === 0 ? [0, 1] : [1, 0];
        for (const i of order) {
          const server = servers[i] as Server;
          const client = connect(server);
          if (workload.prefill) await prefill(workload.prefill);
          freeze(servers[1 - i] as Server, true);
          try {
            const { requests, cpu } = await closedLoop(client, workload, server.child.pid ?? 0);
            const entry = results.get(name)?.[i];
            entry?.rate.push(requests / (windowMs / 1000));
            entry?.cpu.push((cpu / requests) * 1e6);
          } finally {
            client.http.close();
            freeze(servers[1 - i] as Server, false);
          }
        }
      }
      console.log(`round ${round + 1}/${rounds} done`);
    }
    console.log(
      `\nA = ${values.a}, B = ${values.b}; ${rounds} rounds of ${windowMs / 1000} s, ${connections} connections`,
    );
    console.log("workload        A req/s   B req/s   B/A    A µs/req  B µs/req  B/A");
    for (const [name, [a, b]] of results) {
      if (!a || !b) continue;
      const [ra, rb, ca, cb] = [median(a.rate), median(b.rate), median(a.cpu), median(b.cpu)];
      console.log(
        `${name.padEnd(14)} ${ra.toFixed(0).padStart(8)}  ${rb.toFixed(0).padStart(8)}  ${(rb / ra).toFixed(2)}  ${ca.toFixed(0).padStart(8)}  ${cb.toFixed(0).padStart(8)}  ${(cb / ca).toFixed(2)}`,
      );
      console.log(
        `  (A µs/req ${a.cpu.map((v) => v.toFixed(0)).join(" ")}; B ${b.cpu.map((v) => v.toFixed(0)).join(" ")})`,
      );
    }
  } finally {
    for (const server of servers) {
      for (const pid of processTree(server.child.pid ?? 0)) process.kill(pid, "SIGCONT");
      server.child.kill("SIGTERM");
    }
    await closePool();
    await new Promise((r) => setTimeout(r, 1000));
    await database.drop();
  }
}

/** `connections` callers back to back for the window (after a 0.5 s warm-up): requests done, server CPU s. */
async function closedLoop(
  client: { http: unknown },
  workload: { requests: number; op: (c: never) => Promise<void> },
  pid: number,
) {
  let isMeasuring = false;
  let isStopped = false;
  let ops = 0;
  let cpuAtStart = 0;
  const caller = async () => {
    while (!isStopped) {
      await workload.op(client as never);
      if (isMeasuring) ops++;
    }
  };
  const callers = Array.from({ length: connections }, caller);
  await new Promise((r) => setTimeout(r, 500));
  cpuAtStart = cpuSeconds(pid);
  isMeasuring = true;
  await new Promise((r) => setTimeout(r, windowMs));
  const cpu = cpuSeconds(pid) - cpuAtStart;
  isMeasuring = false;
  isStopped = true;
  await Promise.all(callers);
  return { requests: ops * workload.requests, cpu };
}

function expectStatus(r: { status: number }, status: number) {
  if (r.status !== status) throw new Error(`HTTP ${r.status}`);
}
function expectCode(r: { code: number; message?: string }) {
  if (r.code !== 0) throw new Error(`CMQ ${r.code} ${r.message ?? ""}`);
}

async function waitHealthy(url: string) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2000) })).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url} did not become healthy`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
