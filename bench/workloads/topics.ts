import http from "node:http";
import type { AddressInfo } from "node:net";
import { describeResponse, type Harness } from "../context";
import { type CellResult, runClosedLoop, runOpenLoop, summarize } from "../loop";
import type { Usage } from "../meter";
import { progressPrinter } from "./progress";

// Topics (issue 11), through the first front's REST API, in one run:
//
// W10 publish fan-out: a plain send of one message (POST /api/v1/queues/{q}/messages) beside a
//   publish of one message (POST /api/v1/topics/{t}/messages) to a topic with 1, 10 and 100 queue
//   subscriptions. Closed loop, `connections` callers, the same warm-up and window for every cell.
//   msgs/s counts delivered messages (a publish to 10 queues delivers 10); Postgres CPU and WAL are
//   given per publish (per request) and per delivered message.
//
// W11 push: a topic with `subscriptions` HTTP subscriptions to a receiver in this process
//   (127.0.0.1; the bench starts the app with OPENCMQ_PUSH_ALLOW_PRIVATE=on). Each message body
//   carries its intended publish time, so the receiver measures publish → receipt.
//   - fixed rate: publishes at `rate`/s (open loop) for `seconds`, then waits for the last push:
//     publish → receipt p50/p99 and costs per delivery;
//   - burst: `connections` callers publish back to back for `seconds`; the rate is the deliveries
//     between the first publish and the last receipt (the push worker's drain rate), costs per delivery.

export type TopicsSettings = {
  warmupMs: number;
  durationMs: number;
  fanOuts: number[];
  pushRate: number;
  pushSubscriptions: number;
  pushSeconds: number;
};

export type FanOutCell = {
  /** 0: the plain send; n: a publish to n queue subscriptions. */
  fanOut: number;
  result: CellResult;
};

export type PushCell = {
  shape: "fixed" | "burst";
  /** Publishes made, pushes expected (publishes × subscriptions) and received. */
  published: number;
  expected: number;
  received: number;
  /** Seconds from the first publish to the last receipt. */
  seconds: number;
  deliveriesPerSec: number;
  /** publish → receipt, ms. */
  latency: { p50: number; p99: number; max: number } | null;
  usage: Usage;
  errors: string[];
};

export type TopicsResult = { fanOut: FanOutCell[]; push: PushCell[]; pushSubscriptions: number };

const int = (n: number) => Math.round(n).toLocaleString("en-US");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runTopics(
  h: Harness,
  settings: TopicsSettings,
  which: { fanOut: boolean; push: boolean },
): Promise<TopicsResult> {
  const result: TopicsResult = { fanOut: [], push: [], pushSubscriptions: settings.pushSubscriptions };
  const tag = Date.now().toString(36);
  if (which.fanOut) {
    h.say(`W10 publish fan-out: plain send vs publish to ${settings.fanOuts.join(", ")} queue subscriptions`);
    for (const fanOut of [0, ...settings.fanOuts]) result.fanOut.push(await fanOutCell(h, settings, fanOut, tag));
  }
  if (which.push) {
    h.say(
      `W11 push to a local receiver: ${settings.pushSubscriptions} HTTP subscriptions, @${settings.pushRate} publishes/s and a burst`,
    );
    result.push.push(...(await pushCells(h, settings, tag)));
  }
  await clearTopicTables(h);
  return result;
}

async function clearTopicTables(h: Harness) {
  await h.truncate();
  await h.pool.query("TRUNCATE topic_message CASCADE");
}

async function createTopic(h: Harness, name: string) {
  const res = await h.http.post("/api/v1/topics", { name, filterType: "tag" });
  if (res.status !== 201) throw new Error(`create topic ${name}: ${describeResponse(res)}`);
}

async function subscribe(h: Harness, topic: string, name: string, protocol: "queue" | "http", endpoint: string) {
  const res = await h.http.post(`/api/v1/topics/${topic}/subscriptions`, { name, protocol, endpoint });
  if (res.status !== 201) throw new Error(`subscribe ${name}: ${describeResponse(res)}`);
}

async function fanOutCell(h: Harness, settings: TopicsSettings, fanOut: number, tag: string): Promise<FanOutCell> {
  await clearTopicTables(h);
  const sendBody = JSON.stringify({ messages: [{ body: h.body }] });
  let path: string;
  if (fanOut === 0) {
    const queue = await h.createQueue(`b-w10-send-${tag}`);
    path = `/api/v1/queues/${queue.name}/messages`;
  } else {
    const topic = `b-w10-fan${fanOut}-${tag}`;
    await createTopic(h, topic);
    for (let i = 0; i < fanOut; i++) {
      const queue = await h.createQueue(`b-w10-fan${fanOut}-q${i}-${tag}`);
      await subscribe(h, topic, `s${i}`, "queue", queue.name);
    }
    path = `/api/v1/topics/${topic}/messages`;
  }
  const delivered = Math.max(1, fanOut);
  const label = fanOut === 0 ? "W10 plain send" : `W10 publish → ${fanOut} queue${fanOut > 1 ? "s" : ""}`;
  await h.settle();
  const progress = progressPrinter(h, label, (settings.warmupMs + settings.durationMs) / 1000);
  const result = await runClosedLoop({
    concurrency: h.connections,
    warmupMs: settings.warmupMs,
    durationMs: settings.durationMs,
    op: async () => {
      const res = await h.http.post(path, sendBody);
      return res.status === 201 ? { messages: delivered } : { messages: 0, error: describeResponse(res) };
    },
    meter: h.newMeter(),
    ...progress,
  });
  progress.done();
  const pg = result.usage.cpu.postgres;
  h.say(
    `  ${label}: ${int(result.opsPerSec)} requests/s, ${int(result.msgsPerSec)} delivered msgs/s; Postgres ` +
      `${pg === null || result.ops === 0 ? "?" : ((pg * 1000) / result.ops).toFixed(3)} ms/request, ` +
      `${pg === null || result.messages === 0 ? "?" : ((pg * 1000) / result.messages).toFixed(3)} ms/delivered msg; ${result.errors} errors`,
  );
  for (const sample of result.errorSamples) h.say(`    ${sample}`);
  return { fanOut, result };
}

/** A receiver that records, per push, the time since the publish its body names (t=<performance.now()>;). */
async function startReceiver() {
  const latencies: number[] = [];
  let lastAt = 0;
  const server = http.createServer((req, res) => {
    let raw = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      raw += chunk;
    });
    req.on("end", () => {
      const at = performance.now();
      const sent = /t=([0-9.]+);/.exec(raw)?.[1];
      if (sent !== undefined) latencies.push(at - Number(sent));
      lastAt = at;
      res.writeHead(200).end("ok");
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    latencies,
    lastAt: () => lastAt,
    reset: () => {
      latencies.length = 0;
      lastAt = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function pushCells(h: Harness, settings: TopicsSettings, tag: string): Promise<PushCell[]> {
  await clearTopicTables(h);
  const receiver = await startReceiver();
  try {
    const topic = `b-w11-${tag}`;
    await createTopic(h, topic);
    for (let i = 0; i < settings.pushSubscriptions; i++)
      await subscribe(h, topic, `hook${i}`, "http", `http://127.0.0.1:${receiver.port}/push/${i}`);
    const path = `/api/v1/topics/${topic}/messages`;
    const pad = h.body.slice(0, 200);
    const publish = async (intended: number) => {
      const res = await h.http.post(path, { messages: [{ body: `t=${intended.toFixed(3)};${pad}` }] });
      return res.status === 201 ? null : describeResponse(res);
    };
    const cells: PushCell[] = [];
    await h.settle();

    // Fixed rate: warm-up publishes first (not counted), then the measured window.
    const warm = progressPrinter(h, `W11 warm-up @${settings.pushRate}/s`, settings.warmupMs / 1000);
    await runOpenLoop({
      rate: settings.pushRate,
      warmupMs: 0,
      durationMs: settings.warmupMs,
      op: async (intended) => ({ messages: 1, error: (await publish(intended)) ?? undefined }),
      meter: h.newMeter(),
      ...warm,
    });
    warm.done();
    await drained(h, 15_000);
    receiver.reset();
    cells.push(
      await pushCell(h, receiver, settings, "fixed", async (errors) => {
        const r = await runOpenLoop({
          rate: settings.pushRate,
          warmupMs: 0,
          durationMs: settings.pushSeconds * 1000,
          op: async (intended) => {
            const error = await publish(intended);
            if (error && errors.length < 5) errors.push(error);
            return { messages: 1, error: error ?? undefined };
          },
          meter: h.newMeter(),
        });
        return r.ops;
      }),
    );

    await drained(h, 15_000);
    receiver.reset();
    cells.push(
      await pushCell(h, receiver, settings, "burst", async (errors) => {
        const deadline = performance.now() + settings.pushSeconds * 1000;
        let published = 0;
        await Promise.all(
          Array.from({ length: h.connections }, async () => {
            while (performance.now() < deadline) {
              const error = await publish(performance.now());
              if (error) {
                if (errors.length < 5) errors.push(error);
              } else published++;
            }
          }),
        );
        return published;
      }),
    );
    return cells;
  } finally {
    await receiver.close();
  }
}

/** Waits until no push is pending (the previous phase's are out of the way). */
async function drained(h: Harness, capMs: number) {
  const deadline = performance.now() + capMs;
  while (performance.now() < deadline) {
    const { rows } = await h.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM push_delivery WHERE status = 'pending'",
    );
    if ((rows[0]?.n ?? 0) === 0) return;
    await sleep(50);
  }
}

async function pushCell(
  h: Harness,
  receiver: Awaited<ReturnType<typeof startReceiver>>,
  settings: TopicsSettings,
  shape: PushCell["shape"],
  publishAll: (errors: string[]) => Promise<number>,
): Promise<PushCell> {
  const label = shape === "fixed" ? `W11 push @${settings.pushRate} publishes/s` : "W11 push burst";
  h.say(`${label}: ${settings.pushSubscriptions} subscriptions, ${settings.pushSeconds} s of publishing`);
  const errors: string[] = [];
  const meter = h.newMeter();
  const started = performance.now();
  meter.begin();
  const published = await publishAll(errors);
  const expected = published * settings.pushSubscriptions;
  // The last pushes: wait for them (at most 30 s; what is missing then is reported).
  const deadline = performance.now() + 30_000;
  while (receiver.latencies.length < expected && performance.now() < deadline) await sleep(10);
  meter.end();
  const usage = await meter.usage();
  const received = receiver.latencies.length;
  const seconds = ((receiver.lastAt() || performance.now()) - started) / 1000;
  const latency = received > 0 ? summarize(receiver.latencies) : null;
  const cell: PushCell = {
    shape,
    published,
    expected,
    received,
    seconds,
    deliveriesPerSec: seconds > 0 ? received / seconds : 0,
    latency: latency && { p50: latency.p50, p99: latency.p99, max: latency.max },
    usage,
    errors,
  };
  h.say(
    `  ${label}: ${int(received)}/${int(expected)} pushes received, ${int(cell.deliveriesPerSec)} deliveries/s, ` +
      `publish → receipt p50 ${latency?.p50.toFixed(1) ?? "?"} ms, p99 ${latency?.p99.toFixed(1) ?? "?"} ms` +
      `${errors.length ? `; errors: ${errors.join("; ")}` : ""}`,
  );
  return cell;
}

/** W10's figures per cell, and each one's ratio to the plain send's of the same run. */
export type FanOutSummary = {
  fanOut: number;
  requestsPerSec: number;
  deliveredPerSec: number;
  /** Postgres CPU ms and WAL bytes per request (a send or a publish) and per delivered message. */
  pgMsPerRequest: number | null;
  pgMsPerDelivered: number | null;
  walPerRequest: number | null;
  walPerDelivered: number | null;
  appMsPerRequest: number | null;
  /** ÷ the plain send's per-message figure: Postgres CPU per request and per delivered message. */
  vsSend: { pgPerRequest: number | null; pgPerDelivered: number | null };
  p50: number | null;
  p99: number | null;
  otherCores: number | null;
  errors: number;
};

export function summarizeFanOut(result: TopicsResult | null | undefined): FanOutSummary[] {
  const cells = result?.fanOut ?? [];
  const per = (v: number | null | undefined, n: number, scale = 1) =>
    v === null || v === undefined || n === 0 ? null : (v * scale) / n;
  const rows = cells.map(({ fanOut, result: r }) => {
    const delivered = r.messages;
    return {
      fanOut,
      requestsPerSec: r.opsPerSec,
      deliveredPerSec: r.msgsPerSec,
      pgMsPerRequest: per(r.usage.cpu.postgres, r.ops, 1000),
      pgMsPerDelivered: per(r.usage.cpu.postgres, delivered, 1000),
      walPerRequest: per(r.usage.walBytes, r.ops),
      walPerDelivered: per(r.usage.walBytes, delivered),
      appMsPerRequest: per(r.usage.cpu.server, r.ops, 1000),
      p50: r.latency.op?.p50 ?? null,
      p99: r.latency.op?.p99 ?? null,
      otherCores: r.usage.cpu.other === null ? null : r.usage.cpu.other / (r.usage.seconds || 1),
      errors: r.errors,
    };
  });
  const send = rows.find((row) => row.fanOut === 0)?.pgMsPerDelivered ?? null;
  const ratio = (v: number | null) => (v === null || !send ? null : v / send);
  return rows.map((row) => ({
    ...row,
    vsSend: { pgPerRequest: ratio(row.pgMsPerRequest), pgPerDelivered: ratio(row.pgMsPerDelivered) },
  }));
}
