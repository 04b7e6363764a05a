import { afterEach, describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/pool";
import { getPrisma } from "@/lib/db/prisma";
import { takePendingCounts } from "@/lib/metrics/record";
import { verifyPushSignature } from "./signature";
import { claimDuePushes, recordPushAttempt } from "./store";
import {
  createPushSubscription,
  deliveryState,
  enqueuePush,
  type PushSubscriptionFixture,
  startReceiver,
  waitFor,
} from "./testing";
import { wakePushWorker } from "./wake";
import { type PushWorker, type PushWorkerOptions, startPushWorker } from "./worker";

// The push worker against a real PostgreSQL and real local HTTP receivers. Each worker serves only
// the subscriptions its test created (the database is shared with other test files), polls only
// every 60 s (so nothing here is delivered by the poll), and is stopped after its test.

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const started: PushWorker[] = [];
const subscriptions: PushSubscriptionFixture[] = [];
const closers: Array<() => Promise<unknown>> = [];

function startWorker(subs: PushSubscriptionFixture[], overrides: Partial<PushWorkerOptions> = {}) {
  const worker = startPushWorker({
    concurrency: 8,
    perSubscription: 4,
    timeoutMs: 2000,
    pollMs: 60_000,
    retryUnitMs: 20,
    policy: { allowPrivate: true },
    subscriptionIds: subs.map((s) => s.subscriptionId),
    ...overrides,
  });
  started.push(worker);
  return worker;
}

async function subscribe(input: Parameters<typeof createPushSubscription>[0]) {
  const subscription = await createPushSubscription(input);
  subscriptions.push(subscription);
  return subscription;
}

async function receiver(...args: Parameters<typeof startReceiver>) {
  const r = await startReceiver(...args);
  closers.push(r.close);
  return r;
}

const delivered = (deliveryId: string) => async () => {
  const state = await deliveryState(deliveryId);
  return state.status === "pending" ? undefined : state;
};

afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
  await Promise.all(started.splice(0).map((worker) => worker.stop()));
  // What a test leaves pending is nobody's business afterwards.
  await getPool().query(
    "UPDATE push_delivery SET status = 'dropped' WHERE status = 'pending' AND subscription_id = ANY($1)",
    [subscriptions.splice(0).map((s) => s.subscriptionId)],
  );
});

describe("push worker: delivery", () => {
  it("POSTs CMQ's JSON body and headers with a signature that verifies; records the attempt and counts it", async () => {
    const r = await receiver(() => 200);
    const sub = await subscribe({ endpoint: r.url, secret: "push-secret-1" });
    const { messageId, deliveryId } = await enqueuePush(sub, { body: "hello 世界", tags: ["a", "b"] });
    startWorker([sub]);
    const state = await waitFor(delivered(deliveryId), 5000, "delivery");
    expect(state).toEqual({
      status: "delivered",
      attempts: 1,
      finished: true,
      log: [{ attempt: 1, httpStatus: 200, error: null, hasNextAttempt: false }],
    });
    expect(r.received).toHaveLength(1);
    const push = r.received[0];
    if (!push) throw new Error("nothing received");
    expect(push.method).toBe("POST");
    expect(push.url).toBe("/push");
    expect(push.headers).toMatchObject({
      "content-type": "text/plain",
      "user-agent": "Qcloud Notification Service Agent",
      "x-cmq-request-id": `${deliveryId}-1`,
      "x-cmq-message-id": messageId,
      "x-cmq-message-tag": "a,b",
    });
    const body = JSON.parse(push.body);
    expect(body).toEqual({
      TopicOwner: sub.accountId,
      topicName: sub.topicName,
      subscriptionName: sub.subscriptionName,
      msgId: messageId,
      msgBody: "hello 世界",
      publishTime: expect.any(Number),
    });
    expect(Math.abs(body.publishTime - Date.now() / 1000)).toBeLessThan(30);
    const signature = push.headers["x-opencmq-signature"] as string;
    expect(verifyPushSignature("push-secret-1", push.body, signature)).toBe(true);
    expect(verifyPushSignature("another-secret", push.body, signature)).toBe(false);
    expect(verifyPushSignature("push-secret-1", `${push.body} `, signature)).toBe(false);

    const counts = takePendingCounts().filter(
      (c) =>
        (c.kind === "subscription" && String(c.id) === sub.subscriptionId) ||
        (c.kind === "topic" && String(c.id) === sub.topicId),
    );
    expect(counts.map((c) => `${c.kind}:${c.name}=${c.n}`).sort()).toEqual([
      "subscription:NumOfNotify=1",
      "subscription:NumOfSuccNotify=1",
      "topic:NumOfNotify=1",
      "topic:NumOfSuccNotify=1",
    ]);
  });

  it("SIMPLIFIED sends the body as published; no secret, no signature header", async () => {
    const r = await receiver(() => 204);
    const sub = await subscribe({ endpoint: r.url, format: "SIMPLIFIED" });
    const { messageId, deliveryId } = await enqueuePush(sub, { body: '{"raw": true}' });
    startWorker([sub]);
    await waitFor(delivered(deliveryId), 5000, "delivery");
    expect(r.received.map((p) => [p.body, p.headers["x-cmq-message-id"], p.headers["x-cmq-message-tag"]])).toEqual([
      ['{"raw": true}', messageId, ""],
    ]);
    expect(r.received[0]?.headers["x-opencmq-signature"]).toBeUndefined();
  });

  it("wakes on wakePushWorker() at once; without it the row would wait for the poll", async () => {
    const r = await receiver(() => 200);
    const sub = await subscribe({ endpoint: r.url });
    startWorker([sub]);
    await sleep(200); // the worker has looked and is idle
    const { deliveryId } = await enqueuePush(sub);
    await sleep(400);
    expect((await deliveryState(deliveryId)).status).toBe("pending"); // the poll is 60 s away
    const woken = performance.now();
    wakePushWorker();
    await waitFor(delivered(deliveryId), 2000, "delivery after the wake-up");
    expect(performance.now() - woken).toBeLessThan(1000);
    expect(r.received).toHaveLength(1);
  });

  it("refuses a loopback endpoint when private addresses are not allowed, and records why", async () => {
    const r = await receiver(() => 200);
    const sub = await subscribe({ endpoint: r.url });
    const { deliveryId } = await enqueuePush(sub);
    startWorker([sub], { policy: { allowPrivate: false } });
    const state = await waitFor(
      async () => ((await deliveryState(deliveryId)).log.length > 0 ? deliveryState(deliveryId) : undefined),
      5000,
      "the first attempt",
    );
    expect(state.status).toBe("pending");
    expect(state.log).toEqual([
      {
        attempt: 1,
        httpStatus: null,
        error: "refused: 127.0.0.1 is a loopback address (OPENCMQ_PUSH_ALLOW_PRIVATE is off)",
        hasNextAttempt: true,
      },
    ]);
    expect(r.connections()).toBe(0);
  });

  it("drops a delivery whose message outlived its topic's retention, with the reason, sending nothing", async () => {
    const r = await receiver(() => 200);
    const sub = await subscribe({ endpoint: r.url });
    const { deliveryId } = await enqueuePush(sub, { publishedSecondsAgo: 86_401 });
    startWorker([sub]);
    const state = await waitFor(delivered(deliveryId), 5000, "the drop");
    expect(state).toEqual({
      status: "dropped",
      attempts: 1,
      finished: true,
      log: [
        {
          attempt: 1,
          httpStatus: null,
          error: "dropped: the message is older than its topic's retention (86400 s)",
          hasNextAttempt: false,
        },
      ],
    });
    expect(r.received).toHaveLength(0);
  });
});

describe("push worker: retries", () => {
  /** Gaps between consecutive arrivals, in ms. */
  const gaps = (times: number[]) => times.slice(1).map((t, i) => t - (times[i] ?? 0));

  it("BACKOFF_RETRY: fails 2 times then succeeds; each retry 10–20 units later", async () => {
    const unit = 20; // 200–400 ms
    const r = await receiver((_push, count) => (count <= 2 ? 500 : 200));
    const sub = await subscribe({ endpoint: r.url, strategy: "BACKOFF_RETRY" });
    const { deliveryId } = await enqueuePush(sub);
    startWorker([sub], { retryUnitMs: unit });
    const state = await waitFor(delivered(deliveryId), 5000, "delivery");
    expect(state).toEqual({
      status: "delivered",
      attempts: 3,
      finished: true,
      log: [
        { attempt: 1, httpStatus: 500, error: "HTTP 500: ok", hasNextAttempt: true },
        { attempt: 2, httpStatus: 500, error: "HTTP 500: ok", hasNextAttempt: true },
        { attempt: 3, httpStatus: 200, error: null, hasNextAttempt: false },
      ],
    });
    for (const gap of gaps(r.received.map((p) => p.at))) {
      expect(gap).toBeGreaterThanOrEqual(10 * unit);
      expect(gap).toBeLessThan(20 * unit + 250);
    }
  });

  it("BACKOFF_RETRY: after 3 failed retries the delivery is dropped, with the reason", async () => {
    const r = await receiver(() => 503);
    const sub = await subscribe({ endpoint: r.url, strategy: "BACKOFF_RETRY" });
    const { deliveryId } = await enqueuePush(sub);
    startWorker([sub], { retryUnitMs: 5 });
    const state = await waitFor(delivered(deliveryId), 5000, "the drop");
    expect(state.status).toBe("dropped");
    expect(state.attempts).toBe(4);
    expect(state.log.map((a) => [a.attempt, a.httpStatus, a.hasNextAttempt])).toEqual([
      [1, 503, true],
      [2, 503, true],
      [3, 503, true],
      [4, 503, false],
    ]);
    expect(state.log[3]?.error).toBe("HTTP 503: ok; dropped: BACKOFF_RETRY: 3 retries failed");
    await sleep(200);
    expect(r.received).toHaveLength(4);
  });

  it("EXPONENTIAL_DECAY_RETRY: fails 4 times then succeeds; the waits double (1, 2, 4, 8 units)", async () => {
    const unit = 40;
    const r = await receiver((_push, count) => (count <= 4 ? 502 : 200));
    const sub = await subscribe({ endpoint: r.url, strategy: "EXPONENTIAL_DECAY_RETRY" });
    const { deliveryId } = await enqueuePush(sub);
    startWorker([sub], { retryUnitMs: unit });
    const state = await waitFor(delivered(deliveryId), 5000, "delivery");
    expect(state.log.map((a) => [a.attempt, a.httpStatus])).toEqual([
      [1, 502],
      [2, 502],
      [3, 502],
      [4, 502],
      [5, 200],
    ]);
    const measured = gaps(r.received.map((p) => p.at));
    const expected = [1, 2, 4, 8].map((units) => units * unit);
    expect(measured).toHaveLength(4);
    measured.forEach((gap, i) => {
      expect(gap).toBeGreaterThanOrEqual(expected[i] ?? 0);
      expect(gap).toBeLessThan((expected[i] ?? 0) + 250);
    });
  });
});

describe("push worker: isolation and safety", () => {
  it("an endpoint that never answers holds only its own slots; another subscription is served at once", async () => {
    const dead = await receiver(() => "hang");
    const live = await receiver(() => 200);
    const deadSub = await subscribe({ endpoint: dead.url });
    const liveSub = await subscribe({ endpoint: live.url });
    // The dead endpoint's deliveries are older: first in line without taking turns.
    for (let i = 0; i < 12; i++) await enqueuePush(deadSub);
    const liveDeliveries = [];
    for (let i = 0; i < 10; i++) liveDeliveries.push(await enqueuePush(liveSub));
    const begun = performance.now();
    startWorker([deadSub, liveSub], { concurrency: 6, perSubscription: 2, timeoutMs: 5000 });
    for (const { deliveryId } of liveDeliveries) await waitFor(delivered(deliveryId), 3000, "the live subscription");
    expect(performance.now() - begun).toBeLessThan(2500); // well inside the dead endpoint's 5 s timeout
    expect(live.received).toHaveLength(10);
    expect(dead.received).toHaveLength(2); // its per-subscription slots, no more
    const { rows } = await getPool().query(
      "SELECT count(*)::int AS n FROM push_delivery WHERE subscription_id = $1 AND status = 'pending'",
      [deadSub.subscriptionId],
    );
    expect(rows[0].n).toBe(12);
  });

  it("never more than `concurrency` pushes in flight in one process", async () => {
    const slow = [await receiver(() => "hang"), await receiver(() => "hang")];
    const subs = [await subscribe({ endpoint: slow[0]?.url ?? "" }), await subscribe({ endpoint: slow[1]?.url ?? "" })];
    for (const sub of subs) for (let i = 0; i < 6; i++) await enqueuePush(sub);
    const worker = startWorker(subs, { concurrency: 5, perSubscription: 4, timeoutMs: 5000 });
    await waitFor(async () => (worker.inFlight() === 5 ? true : undefined), 3000, "5 pushes in flight");
    await sleep(300); // nothing more is claimed meanwhile
    expect(worker.inFlight()).toBe(5);
    // Taken in turns: 3 and 2, not 4 of the older and 1.
    expect(slow.map((r) => r.received.length).sort()).toEqual([2, 3]);
  });

  it("two workers (two processes) never send one delivery twice", async () => {
    const r = await receiver(() => 200);
    const sub = await subscribe({ endpoint: r.url });
    const deliveries = [];
    for (let i = 0; i < 40; i++) deliveries.push(await enqueuePush(sub));
    startWorker([sub], { perSubscription: 3 });
    startWorker([sub], { perSubscription: 3 });
    for (const { deliveryId } of deliveries) await waitFor(delivered(deliveryId), 5000, "delivery");
    const ids = r.received.map((p) => p.headers["x-cmq-message-id"]);
    expect(ids).toHaveLength(40);
    expect(new Set(ids).size).toBe(40);
    for (const { deliveryId } of deliveries) expect((await deliveryState(deliveryId)).attempts).toBe(1);
  });

  it("a worker stopped mid-retry loses nothing: another one finishes the delivery", async () => {
    const r = await receiver((_push, count) => (count === 1 ? 500 : 200));
    const sub = await subscribe({ endpoint: r.url, strategy: "BACKOFF_RETRY" });
    const { deliveryId, messageId } = await enqueuePush(sub);
    const first = startWorker([sub], { retryUnitMs: 50 }); // the retry comes 0.5–1 s later
    await waitFor(
      async () => ((await deliveryState(deliveryId)).log.length === 1 ? true : undefined),
      5000,
      "attempt 1",
    );
    await first.stop();
    expect((await deliveryState(deliveryId)).status).toBe("pending");
    startWorker([sub], { retryUnitMs: 50 }); // "after the restart"
    const state = await waitFor(delivered(deliveryId), 5000, "delivery");
    expect(state.log.map((a) => [a.attempt, a.httpStatus, a.hasNextAttempt])).toEqual([
      [1, 500, true],
      [2, 200, false],
    ]);
    expect(r.received.map((p) => [p.headers["x-cmq-message-id"], p.headers["x-cmq-request-id"]])).toEqual([
      [messageId, `${deliveryId}-1`],
      [messageId, `${deliveryId}-2`],
    ]);
  });

  it("a claim whose process died comes back after its lease, and is sent again only then", async () => {
    const r = await receiver(() => 200);
    const sub = await subscribe({ endpoint: r.url });
    const { deliveryId } = await enqueuePush(sub);
    // A process claims the row and dies before recording anything.
    const begun = performance.now();
    const [claimed] = await claimDuePushes(getPool(), {
      limit: 1,
      perSubscription: 1,
      busy: new Map(),
      leaseMs: 600,
      subscriptionIds: [sub.subscriptionId],
    });
    expect(claimed).toMatchObject({ deliveryId, attempt: 1 });
    startWorker([sub]);
    await sleep(300);
    expect(r.received).toHaveLength(0); // still the dead process's claim
    const state = await waitFor(delivered(deliveryId), 5000, "delivery after the lease");
    expect(performance.now() - begun).toBeGreaterThanOrEqual(590);
    expect(state).toMatchObject({ status: "delivered", attempts: 2 });
    expect(state.log).toEqual([{ attempt: 2, httpStatus: 200, error: null, hasNextAttempt: false }]);
    expect(r.received).toHaveLength(1);
  });

  it("a finisher whose lease lapsed cannot overwrite the newer claim's state (its attempt is still logged)", async () => {
    const sub = await subscribe({ endpoint: "http://192.0.2.1/never-contacted" });
    const { deliveryId } = await enqueuePush(sub);
    const claim = (leaseMs: number) =>
      claimDuePushes(getPool(), {
        limit: 1,
        perSubscription: 1,
        busy: new Map(),
        leaseMs,
        subscriptionIds: [sub.subscriptionId],
      });
    const [slow] = await claim(200); // process A: its attempt outlives its lease…
    expect(slow).toMatchObject({ deliveryId, attempt: 1 });
    expect(await claim(200)).toEqual([]); // …while the lease holds, nobody else takes the row
    await sleep(300);
    const [fresh] = await claim(60_000); // process B claims it again
    expect(fresh).toMatchObject({ deliveryId, attempt: 2 });
    const leaseOf = async () =>
      (await getPool().query("SELECT next_attempt_at FROM push_delivery WHERE id = $1", [deliveryId])).rows[0]
        .next_attempt_at as Date;
    const freshLease = await leaseOf();
    const attempt = { deliveryId, startedAt: new Date(), latencyMs: 15_000, httpStatus: null };
    // A finally reports — a failure to retry, then (say) a drop: neither touches B's claim.
    expect(
      await recordPushAttempt(getPool(), {
        ...attempt,
        attempt: 1,
        error: "timed out after 15000 ms",
        outcome: { status: "pending", retryDelayMs: 1 },
      }),
    ).toBe(false);
    expect(
      await recordPushAttempt(getPool(), { ...attempt, attempt: 1, error: "x", outcome: { status: "dropped" } }),
    ).toBe(false);
    expect(await deliveryState(deliveryId)).toMatchObject({ status: "pending", attempts: 2, finished: false });
    expect(await leaseOf()).toEqual(freshLease);
    // B's own result is recorded.
    expect(
      await recordPushAttempt(getPool(), {
        ...attempt,
        attempt: 2,
        latencyMs: 12,
        httpStatus: 200,
        error: null,
        outcome: { status: "delivered" },
      }),
    ).toBe(true);
    const state = await deliveryState(deliveryId);
    expect(state).toMatchObject({ status: "delivered", attempts: 2, finished: true });
    expect(state.log.map((a) => [a.attempt, a.httpStatus, a.hasNextAttempt])).toEqual([
      [1, null, false],
      [1, null, false],
      [2, 200, false],
    ]);
  });

  it("a delivery whose subscription was deleted while in flight is not recorded (and nothing fails)", async () => {
    const r = await receiver(() => 200);
    const sub = await subscribe({ endpoint: r.url });
    const { deliveryId } = await enqueuePush(sub);
    const [claimed] = await claimDuePushes(getPool(), {
      limit: 1,
      perSubscription: 1,
      busy: new Map(),
      leaseMs: 5000,
      subscriptionIds: [sub.subscriptionId],
    });
    expect(claimed?.deliveryId).toBe(deliveryId);
    await getPrisma().subscription.delete({ where: { id: BigInt(sub.subscriptionId) } });
    const isRecorded = await recordPushAttempt(getPool(), {
      deliveryId,
      attempt: 1,
      startedAt: new Date(),
      latencyMs: 3,
      httpStatus: 200,
      error: null,
      outcome: { status: "delivered" },
    });
    expect(isRecorded).toBe(false);
    const { rows } = await getPool().query(
      "SELECT (SELECT count(*) FROM push_delivery WHERE id = $1)::int AS deliveries, (SELECT count(*) FROM push_attempt WHERE delivery_id = $1)::int AS attempts",
      [deliveryId],
    );
    expect(rows[0]).toEqual({ deliveries: 0, attempts: 0 });
  });
});
