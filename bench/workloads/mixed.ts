import { cmqList } from "../cmq";
import type { Harness } from "../context";
import { type CellResult, type Latency, runOpenLoop, summarize } from "../loop";
import type { Usage } from "../meter";
import { progressPrinter } from "./progress";

// W4 mixed: producers and consumers at once through the CMQ API, over 1, 10 or 100 queues.
//  - Consumers start first and long-poll: BatchReceiveMessage numOfMsg 16, pollingWaitSeconds 20,
//    then BatchDeleteMessage of what came back.
//  - Producers are open loop: BatchSendMessage of 16 at a fixed rate, round robin over the queues.
//    Every body starts with its intended send time, so end-to-end latency (enqueue intent →
//    receive returned) includes any queueing at the producer (no coordinated omission).
//  - The rate steps up; a step is "bounded" when producers kept up, consumers kept up, and the
//    backlog did not grow over the window. Stepping stops at the first unbounded step.

export type MixedStep = {
  rate: number;
  inRate: number;
  outRate: number;
  backlogStart: number;
  backlogEnd: number;
  isBounded: boolean;
  e2e: Latency;
  /** Messages sent in the window not received within 10 s of its end. */
  missing: number;
  usage: Usage;
  producer: CellResult;
  errors: string[];
};

export type MixedResult = {
  queues: number;
  consumers: number;
  steps: MixedStep[];
  /** The highest step that was bounded with e2e p99 within P99_GOAL_MS (the issue's W4 goal). */
  best: MixedStep | null;
};

export const P99_GOAL_MS = 250;

const now = () => performance.timeOrigin + performance.now();
const int = (n: number) => Math.round(n).toLocaleString("en-US");

export async function runMixed(
  h: Harness,
  settings: { queues: number; rates: number[]; warmupMs: number; durationMs: number },
): Promise<MixedResult> {
  const n = settings.queues;
  const consumersPerQueue = n === 1 ? 8 : n <= 10 ? 2 : 1;
  const consumers = n * consumersPerQueue;
  h.say(
    `W4 mixed, ${n} queue${n > 1 ? "s" : ""}: ${consumers} long-polling consumers, producers at ${settings.rates.map(int).join(" → ")} msgs/s`,
  );
  await h.truncate();
  const stamp = Date.now().toString(36);
  const names: string[] = [];
  for (let i = 0; i < n; i++) names.push((await h.createQueue(`b-w4-${n}-${i}-${stamp}`)).name);
  await h.settle();

  const consumerHttp = h.newHttp(consumers);
  const producerHttp = h.newHttp(h.connections);
  const consumerCmq = h.newCmq(consumerHttp);
  const producerCmq = h.newCmq(producerHttp);
  const pad = "x".repeat(h.body.length - 18);

  // Every received message: its receive-return time and intended send time (epoch ms).
  let received: { at: number; intended: number }[] = [];
  let consumed = 0;
  let produced = 0;
  let isRunning = true;
  const errors = new Set<string>();
  const consumer = async (queueName: string) => {
    while (isRunning) {
      try {
        const r = await consumerCmq("BatchReceiveMessage", { queueName, numOfMsg: 16, pollingWaitSeconds: 20 });
        if (r.code === 7000) continue;
        if (r.code !== 0) throw new Error(`receive: CMQ ${r.code}`);
        const at = now();
        const list = (r.msgInfoList as { msgBody: string; receiptHandle: string }[] | undefined) ?? [];
        for (const m of list) received.push({ at, intended: Number(m.msgBody.slice(0, 17)) });
        consumed += list.length;
        const d = await consumerCmq("BatchDeleteMessage", {
          queueName,
          ...cmqList(
            "receiptHandle",
            list.map((m) => m.receiptHandle),
          ),
        });
        if (d.code !== 0) errors.add(`delete: CMQ ${d.code}`);
      } catch (error) {
        if (!isRunning) return;
        errors.add(error instanceof Error ? error.message : String(error));
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  };
  const consumerLoops = names.flatMap((name) => Array.from({ length: consumersPerQueue }, () => consumer(name)));
  await new Promise((r) => setTimeout(r, 500)); // let every consumer park before the first send

  const steps: MixedStep[] = [];
  let turn = 0;
  try {
    for (const rate of settings.rates) {
      received = [];
      errors.clear();
      const label = `W4 ${n}q @${int(rate)}/s`;
      const progress = progressPrinter(h, label, (settings.warmupMs + settings.durationMs) / 1000);
      const started = now();
      const windowStart = started + settings.warmupMs;
      const windowEnd = windowStart + settings.durationMs;
      const backlogAt: Record<"start" | "end", number> = { start: 0, end: 0 };
      const startTimer = setTimeout(() => {
        backlogAt.start = produced - consumed;
      }, settings.warmupMs);
      const endTimer = setTimeout(() => {
        backlogAt.end = produced - consumed;
      }, settings.warmupMs + settings.durationMs);
      const producer = await runOpenLoop({
        rate: rate / 16,
        warmupMs: settings.warmupMs,
        durationMs: settings.durationMs,
        meter: h.newMeter(),
        maxOutstanding: 2000,
        ...progress,
        op: async (intended) => {
          const stampText = (performance.timeOrigin + intended).toFixed(3).padStart(17, "0");
          const bodies = Array.from({ length: 16 }, () => `${stampText} ${pad}`);
          const queueName = names[turn++ % n] ?? "";
          const r = await producerCmq("BatchSendMessage", { queueName, ...cmqList("msgBody", bodies) });
          if (r.code !== 0) return { messages: 0, error: `send: CMQ ${r.code}` };
          produced += 16;
          return { messages: 16 };
        },
      });
      progress.done();
      clearTimeout(startTimer);
      clearTimeout(endTimer);
      // Let the consumers finish what was sent in the window (and the backlog) before the next step.
      const deadline = Date.now() + 10_000;
      while (produced > consumed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const inWindow = received.filter((m) => m.intended >= windowStart && m.intended < windowEnd);
      const outCount = received.filter((m) => m.at >= windowStart && m.at < windowEnd).length;
      const seconds = settings.durationMs / 1000;
      const inRate = producer.msgsPerSec;
      const outRate = outCount / seconds;
      const growth = backlogAt.end - backlogAt.start;
      const isBounded =
        producer.errors === 0 &&
        inRate >= 0.95 * rate &&
        outRate >= 0.95 * inRate &&
        growth <= Math.max(0.5 * rate, 32 * n) &&
        backlogAt.end <= rate + 32 * n;
      const step: MixedStep = {
        rate,
        inRate,
        outRate,
        backlogStart: backlogAt.start,
        backlogEnd: backlogAt.end,
        isBounded,
        e2e: summarize(inWindow.map((m) => m.at - m.intended)),
        missing: Math.max(0, producer.messages - inWindow.length),
        usage: producer.usage,
        producer,
        errors: [...errors, ...producer.errorSamples],
      };
      steps.push(step);
      h.say(
        `  ${label}: in ${int(inRate)}/s, out ${int(outRate)}/s, backlog ${int(backlogAt.start)} → ${int(backlogAt.end)}, ` +
          `e2e p50 ${step.e2e.p50.toFixed(1)} ms p99 ${step.e2e.p99.toFixed(1)} ms${step.missing ? `, ${step.missing} not received` : ""} — ` +
          `${isBounded ? "bounded" : "NOT bounded"}${step.errors.length ? `; ${step.errors.join("; ")}` : ""}`,
      );
      if (!isBounded) break;
    }
  } finally {
    isRunning = false;
    consumerHttp.close();
    producerHttp.close();
    await Promise.allSettled(consumerLoops);
  }
  const good = steps.filter((s) => s.isBounded && s.e2e.p99 <= P99_GOAL_MS);
  return { queues: n, consumers, steps, best: good.at(-1) ?? null };
}
