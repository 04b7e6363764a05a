import type { Harness } from "../context";
import { type Latency, summarize } from "../loop";
import type { Usage } from "../meter";

// W5 long-poll wake-up: K receivers wait on K distinct queues (REST receive waitSeconds 20, or CMQ
// ReceiveMessage pollingWaitSeconds 20); every ~100 ms one message goes to a random queue whose
// receiver has been parked for at least 200 ms. Latency = receive returned − send returned, both
// seen by this process (negative when the receive answer arrives first).

export type WakeupResult = {
  api: "rest" | "cmq";
  receivers: number;
  latency: Latency;
  samples: number[];
  usage: Usage;
  errors: string[];
};

export async function runWakeup(
  h: Harness,
  api: "rest" | "cmq",
  settings: { receivers: number; samples: number; intervalMs: number },
): Promise<WakeupResult> {
  const k = settings.receivers;
  h.say(
    `W5 wake-up ${api.toUpperCase()}: ${k} receivers waiting, one send every ${settings.intervalMs} ms, ${settings.samples} samples`,
  );
  const stamp = Date.now().toString(36);
  const names: string[] = [];
  for (let i = 0; i < k; i++) names.push((await h.createQueue(`b-w5-${api}-${i}-${stamp}`)).name);
  const receiverHttp = h.newHttp(k);
  const senderHttp = h.newHttp(4);
  const receiverCmq = h.newCmq(receiverHttp);
  const senderCmq = h.newCmq(senderHttp);

  const parkedSince: (number | null)[] = names.map(() => null);
  const pending: ({ sentAt: number | null; receivedAt: number | null } | null)[] = names.map(() => null);
  const samples: number[] = [];
  const errors = new Set<string>();
  let isRunning = true;

  const settle = (i: number) => {
    const p = pending[i];
    if (!p || p.sentAt === null || p.receivedAt === null) return;
    samples.push(p.receivedAt - p.sentAt);
    pending[i] = null;
  };

  const receive = async (i: number): Promise<string | null> => {
    const name = names[i] ?? "";
    if (api === "rest") {
      const r = await receiverHttp.post(`/api/v1/queues/${name}/messages/receive`, { max: 1, waitSeconds: 20 });
      if (r.status !== 200) throw new Error(`receive: HTTP ${r.status}`);
      return (r.json as { messages: { receiptHandle: string }[] }).messages[0]?.receiptHandle ?? null;
    }
    const r = await receiverCmq("ReceiveMessage", { queueName: name, pollingWaitSeconds: 20 });
    if (r.code === 7000) return null;
    if (r.code !== 0) throw new Error(`receive: CMQ ${r.code}`);
    return String(r.receiptHandle);
  };
  const remove = async (i: number, handle: string) => {
    const name = names[i] ?? "";
    if (api === "rest") await receiverHttp.post(`/api/v1/queues/${name}/messages/delete`, { receiptHandles: [handle] });
    else await receiverCmq("DeleteMessage", { queueName: name, receiptHandle: handle });
  };
  const receiver = async (i: number) => {
    while (isRunning) {
      parkedSince[i] = performance.now();
      try {
        const handle = await receive(i);
        const at = performance.now();
        parkedSince[i] = null;
        if (handle) {
          const p = pending[i] ?? { sentAt: null, receivedAt: null };
          p.receivedAt = at;
          pending[i] = p;
          settle(i);
          await remove(i, handle);
        }
      } catch (error) {
        parkedSince[i] = null;
        if (!isRunning) return;
        errors.add(error instanceof Error ? error.message : String(error));
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };
  const send = async (i: number) => {
    const name = names[i] ?? "";
    pending[i] = { sentAt: null, receivedAt: null };
    if (api === "rest") {
      const r = await senderHttp.post(`/api/v1/queues/${name}/messages`, { messages: [{ body: h.body }] });
      if (r.status !== 201) throw new Error(`send: HTTP ${r.status}`);
    } else {
      const r = await senderCmq("SendMessage", { queueName: name, msgBody: h.body });
      if (r.code !== 0) throw new Error(`send: CMQ ${r.code}`);
    }
    const p = pending[i];
    if (p) {
      p.sentAt = performance.now();
      settle(i);
    }
  };

  const loops = names.map((_, i) => receiver(i));
  await new Promise((r) => setTimeout(r, 1000)); // every receiver parked
  const meter = h.newMeter();
  meter.begin();
  const deadline = Date.now() + Math.max(30_000, settings.samples * settings.intervalMs * 3);
  try {
    while (samples.length < settings.samples && Date.now() < deadline) {
      const t = performance.now();
      const ready = names.map((_, i) => i).filter((i) => pending[i] === null && (parkedSince[i] ?? t) < t - 200);
      const pick = ready[Math.floor(Math.random() * ready.length)];
      if (pick !== undefined) await send(pick).catch((error) => errors.add(String(error)));
      await new Promise((r) => setTimeout(r, Math.max(0, settings.intervalMs - (performance.now() - t))));
    }
    meter.end();
  } finally {
    isRunning = false;
    receiverHttp.close();
    senderHttp.close();
    await Promise.allSettled(loops);
  }
  const result: WakeupResult = {
    api,
    receivers: k,
    latency: summarize(samples),
    samples,
    usage: await meter.usage(),
    errors: [...errors],
  };
  h.say(
    `  W5 ${api.toUpperCase()}: ${samples.length} samples, p50 ${result.latency.p50.toFixed(2)} ms, p99 ${result.latency.p99.toFixed(2)} ms, max ${result.latency.max.toFixed(2)} ms` +
      (result.errors.length ? `; errors: ${result.errors.join("; ")}` : ""),
  );
  return result;
}
