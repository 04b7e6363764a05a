import type { Delivery, Ledger } from "./ledger";

// Producers and consumers over the REST API (HTTP Basic with an API key), each a loop that keeps
// one request in flight and writes what it saw into the ledger. A failed request is retried after
// a short pause (the clients of a queue would retry; 503 carries Retry-After 2, but a shorter pause
// measures recovery more finely). Sends are never retried with the same body: each attempt has its
// own, so an unacknowledged send that still arrived is told apart from a duplicate.

export type Target = { url: () => string; auth: string; queue: string };

export type LoadOptions = {
  producers: number;
  consumers: number;
  /** Messages per send request. */
  batch: number;
  /** Visibility timeout the consumers ask for (the lease), seconds. */
  leaseSeconds: number;
  /** A client gives up on a request after this long (counted as "no answer"). */
  requestTimeoutMs: number;
  /** Messages per receive (default 8). */
  receiveMax?: number;
};

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const RETRY_PAUSE_MS = 100;

type Answer = { status: number; body: unknown } | { failure: string };

async function post(target: Target, path: string, body: unknown, timeoutMs: number): Promise<Answer> {
  try {
    const res = await fetch(`${target.url()}/api/v1/queues/${target.queue}${path}`, {
      method: "POST",
      headers: { authorization: target.auth, "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
    return { status: res.status, body: parsed };
  } catch (error) {
    return { failure: describeFailure(error) };
  }
}

function describeFailure(error: unknown): string {
  const e = error as { name?: string; cause?: { code?: string; message?: string }; message?: string };
  if (e.name === "TimeoutError") return "no answer in time";
  return `connection: ${e.cause?.code ?? e.cause?.message ?? e.message ?? String(error)}`;
}

/** Records a failed answer; returns its kind ("503 UNAVAILABLE", "connection: ECONNRESET", …). */
function recordFailure(ledger: Ledger, what: string, answer: Answer): string {
  if ("failure" in answer) {
    ledger.error(`${what}: ${answer.failure}`);
    return answer.failure;
  }
  const code = (answer.body as { error?: { code?: string } } | null)?.error?.code ?? "";
  const kind = `${answer.status} ${code}`.trim();
  ledger.error(`${what}: ${kind}`);
  if (answer.status !== 503) ledger.nonRetryable.push(`${what}: ${kind}`);
  return kind;
}

export class Load {
  private stopped = false;
  private readonly loops: Promise<void>[] = [];
  private sequence = 0;

  constructor(
    private readonly target: Target,
    private readonly ledger: Ledger,
    private readonly options: LoadOptions,
  ) {}

  start() {
    for (let p = 0; p < this.options.producers; p++) this.loops.push(this.produce(`p${p}`));
    for (let c = 0; c < this.options.consumers; c++) this.loops.push(this.consume(`c${c}`));
  }

  /** Stops producers and consumers, after the request each has in flight (and a receive's delete). */
  async stop() {
    this.stopped = true;
    await Promise.all(this.loops);
  }

  private async produce(name: string) {
    const { ledger, options } = this;
    while (!this.stopped) {
      const bodies = Array.from({ length: options.batch }, () => `${name}-${this.sequence++}`);
      const askedAt = Date.now();
      const answer = await post(
        this.target,
        "/messages",
        { messages: bodies.map((body) => ({ body })) },
        options.requestTimeoutMs,
      );
      const at = Date.now();
      if (!("failure" in answer) && answer.status === 201) {
        const ids = (answer.body as { messages: { id: string }[] }).messages.map((m) => m.id);
        for (const [i, id] of ids.entries()) ledger.acked.set(id, { body: bodies[i] as string, at, askedAt });
        ledger.sendAcks.push({ askedAt, at });
      } else {
        for (const body of bodies) ledger.unacknowledgedBodies.add(body);
        recordFailure(ledger, "send", answer);
        await pause(RETRY_PAUSE_MS);
      }
    }
  }

  private async consume(name: string) {
    const { ledger, options } = this;
    while (!this.stopped) await receiveAndDelete(this.target, ledger, name, options, options.receiveMax);
  }
}

/** One receive (long poll of 1 s) and the delete of what it brought. Returns how many it received. */
export async function receiveAndDelete(
  target: Target,
  ledger: Ledger,
  consumer: string,
  options: Pick<LoadOptions, "leaseSeconds" | "requestTimeoutMs">,
  max = 8,
): Promise<number> {
  const askedAt = Date.now();
  const answer = await post(
    target,
    "/messages/receive",
    { max, waitSeconds: 1, visibilityTimeout: options.leaseSeconds },
    options.requestTimeoutMs,
  );
  const answeredAt = Date.now();
  if ("failure" in answer || answer.status !== 200) {
    recordFailure(ledger, "receive", answer);
    await pause(RETRY_PAUSE_MS);
    return 0;
  }
  type Received = { id: string; body: string; receiptHandle: string; dequeueCount: number };
  const messages = (answer.body as { messages: Received[] }).messages;
  if (messages.length === 0) return 0;
  const deliveries = messages.map((m) => {
    const delivery: Delivery = {
      consumer,
      askedAt,
      answeredAt,
      leaseMs: options.leaseSeconds * 1000,
      dequeueCount: m.dequeueCount,
    };
    ledger.deliver(m.id, m.body, delivery);
    return delivery;
  });
  const deleteAskedAt = Date.now();
  for (const d of deliveries) d.deleteAskedAt = deleteAskedAt;
  const deleted = await post(
    target,
    "/messages/delete",
    { receiptHandles: messages.map((m) => m.receiptHandle) },
    options.requestTimeoutMs,
  );
  const at = Date.now();
  if ("failure" in deleted || deleted.status !== 200) {
    const why = recordFailure(ledger, "delete", deleted);
    for (const d of deliveries) d.deleted = { ok: false, why };
    return messages.length;
  }
  const failed = new Map(
    (deleted.body as { failed: { receiptHandle: string; code: string }[] }).failed.map((f) => [
      f.receiptHandle,
      f.code,
    ]),
  );
  messages.forEach((m, i) => {
    const code = failed.get(m.receiptHandle);
    if (code) ledger.error(`delete refused: ${code}`);
    (deliveries[i] as Delivery).deleted = code ? { ok: false, why: `refused ${code}` } : { ok: true, at };
  });
  return messages.length;
}
