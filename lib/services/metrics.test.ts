import { describe, expect, it } from "vitest";
import type { Statement } from "@/lib/auth/permissions";
import type { Principal } from "@/lib/auth/principal";
import { getPool } from "@/lib/db/pool";
import { flushMetrics } from "@/lib/metrics/flush";
import { renderPrometheus } from "@/lib/metrics/prometheus";
import { markQueuesCounted, rollUpHours, sampleQueueGauges, writeMetricCounts } from "@/lib/store/metrics";
import { refreshQueueStats } from "@/lib/store/sweeps";
import { createTestPrincipal, createTestQueue, uniqueName } from "@/lib/testing/fixtures";
import { deleteMessages, receiveMessages, sendMessages } from "./messages";
import { getMetricSeries, getTopQueues } from "./metrics";
import { exactCountCap, getQueue, listQueues } from "./queues";
import { createTopic } from "./topics";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** A whole minute `n` minutes before the current one. */
const minutesAgo = (n: number) => new Date(Math.floor(Date.now() / MINUTE) * MINUTE - n * MINUTE);
const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => "resolved",
    (e) => e.code,
  );

async function seriesOf(p: Principal, query: Partial<Parameters<typeof getMetricSeries>[1]>) {
  return getMetricSeries(p, {
    scope: "account",
    metrics: "SendMsgNum",
    from: new Date(Date.now() - 10 * MINUTE).toISOString(),
    to: new Date(Date.now() + MINUTE).toISOString(),
    ...query,
  });
}
const total = (points: { v: number | null }[]) => points.reduce((s, p) => s + (p.v ?? 0), 0);

/** The owner's account seen as a developer whose policy is this one statement. */
const developerWith = (owner: Principal, statement: Statement): Principal => ({
  ...owner,
  access: { role: "developer", keyPermissions: [], statements: [statement] },
});

describe("metrics counted on the hot path", () => {
  it("counts sends, receives, empty receives and deletes exactly, and flushes from several processes add up", async () => {
    const p = await createTestPrincipal();
    const q = await createTestQueue(p);
    await sendMessages(p, { queueName: q.name, messages: [{ body: "a" }, { body: "b" }, { body: "c" }] });
    await sendMessages(p, { queueName: q.name, messages: [{ body: "d" }] });
    const got = await receiveMessages(p, { queueName: q.name, max: 3, waitSeconds: 0 });
    expect(got).toHaveLength(3);
    await receiveMessages(p, { queueName: q.name, max: 5, waitSeconds: 0 }); // the last one
    expect(await receiveMessages(p, { queueName: q.name, max: 5, waitSeconds: 0 })).toEqual([]);
    expect(await receiveMessages(p, { queueName: q.name, max: 5, waitSeconds: 0 })).toEqual([]);
    // A handle given twice deletes once; a bad handle deletes nothing.
    const handles = got.map((m) => m.receiptHandle);
    const result = await deleteMessages(p, {
      queueName: q.name,
      receiptHandles: [...handles, handles[0] as string, "not-a-handle"],
    });
    expect(result.deleted).toBe(3);
    await flushMetrics();
    // Another process flushing its own counts of the same queue adds to the same rows.
    await writeMetricCounts(getPool(), [{ kind: 1, id: q.id, values: [10, 0, 1, 0, 0, 0, 0, 0] }], []);

    const series = await seriesOf(p, {
      scope: "queue",
      name: q.name.toUpperCase(), // names ignore case
      metrics: "SendMsgNum,RecvMsgNum,RecvNullMsgNum,DelMsgNum",
    });
    expect(series.stepSeconds).toBe(60);
    expect(series.series.map((s) => [s.metric, s.kind, total(s.points)])).toEqual([
      ["SendMsgNum", "counter", 14],
      ["RecvMsgNum", "counter", 4],
      ["RecvNullMsgNum", "counter", 3],
      ["DelMsgNum", "counter", 3],
    ]);
    const { rows } = await getPool().query(
      `SELECT send_msg_num::int AS send, recv_msg_num::int AS recv, recv_null_msg_num::int AS recv_null,
              del_msg_num::int AS del FROM metric_total WHERE resource_kind = 1 AND resource_id = $1`,
      [q.id],
    );
    expect(rows).toEqual([{ send: 14, recv: 4, recv_null: 3, del: 3 }]);
    // A flush with nothing counted writes nothing and fails nothing.
    await flushMetrics();
    expect(total((await seriesOf(p, { scope: "queue", name: q.name })).series[0]?.points ?? [])).toBe(14);
  });

  it("counts API calls per account and action with a latency histogram", async () => {
    const p = await createTestPrincipal();
    const { recordApiCall } = await import("@/lib/metrics/api-calls");
    recordApiCall(p.accountId, "SendMessage", false, 3);
    recordApiCall(p.accountId, "SendMessage", true, 12);
    recordApiCall(p.accountId, "POST /api/v1/queues/{name}/messages", false, 0.4);
    await flushMetrics();
    const s = await seriesOf(p, { metrics: "ApiRequests,ApiErrors,ApiLatencyP99Ms" });
    const byKey = Object.fromEntries(s.series.map((x) => [`${x.metric} ${x.labels.action}`, x.points]));
    expect(total(byKey["ApiRequests SendMessage"] ?? [])).toBe(2);
    expect(total(byKey["ApiErrors SendMessage"] ?? [])).toBe(1);
    expect(total(byKey["ApiRequests POST /api/v1/queues/{name}/messages"] ?? [])).toBe(1);
    const p99 = (byKey["ApiLatencyP99Ms SendMessage"] ?? []).flatMap((x) => (x.v === null ? [] : [x.v]));
    // Two calls, in the 2–3 ms and 10–15 ms buckets: the 99th percentile lies in the upper one.
    expect(p99).toHaveLength(1);
    expect(p99[0]).toBeGreaterThan(10);
    expect(p99[0]).toBeLessThanOrEqual(15);
  });
});

describe("metric series", () => {
  it("shows a step that nobody sampled as a gap (null), a sampled one without traffic as 0", async () => {
    const p = await createTestPrincipal();
    const q = await createTestQueue(p);
    const m = (i: number) => new Date(minutesAgo(40).getTime() + i * MINUTE);
    const db = getPool();
    await db.query("INSERT INTO metric_tick (at) VALUES ($1), ($2) ON CONFLICT DO NOTHING", [m(0), m(1)]);
    await db.query(
      `INSERT INTO metric_minute (resource_kind, resource_id, at, account_id, send_msg_num, visible_msg_num)
       VALUES (1, $1, $2, $4, 5, 7), (1, $1, $3, $4, 2, NULL)`,
      [q.id, m(0), m(3), p.accountId],
    );
    const s = await seriesOf(p, {
      scope: "queue",
      name: q.name,
      metrics: "SendMsgNum,VisibleMsgNum",
      from: m(0).toISOString(),
      to: m(4).toISOString(),
    });
    expect(s).toMatchObject({ from: m(0).toISOString(), to: m(4).toISOString(), stepSeconds: 60 });
    expect(s.series.map((x) => [x.metric, x.points.map((pt) => pt.v)])).toEqual([
      ["SendMsgNum", [5, 0, null, 2]],
      ["VisibleMsgNum", [7, 0, null, null]],
    ]);
    expect(s.series[0]?.points.map((pt) => pt.t)).toEqual([0, 1, 2, 3].map((i) => m(i).toISOString()));
    // The account's series sums its queues.
    const other = await createTestQueue(p);
    await db.query(
      `INSERT INTO metric_minute (resource_kind, resource_id, at, account_id, send_msg_num, visible_msg_num)
       VALUES (1, $1, $2, $3, 4, 1)`,
      [other.id, m(0), p.accountId],
    );
    const account = await seriesOf(p, {
      metrics: "SendMsgNum,VisibleMsgNum",
      from: m(0).toISOString(),
      to: m(4).toISOString(),
    });
    expect(account.series.map((x) => x.points.map((pt) => pt.v))).toEqual([
      [9, 0, null, 2],
      [8, 0, null, null],
    ]);
    // …but its oldest message is the oldest of its queues', not the sum of their ages.
    await db.query("UPDATE metric_minute SET oldest_msg_age_seconds = $3 WHERE resource_id = $1 AND at = $2", [
      q.id,
      m(0),
      30,
    ]);
    await db.query("UPDATE metric_minute SET oldest_msg_age_seconds = $3 WHERE resource_id = $1 AND at = $2", [
      other.id,
      m(0),
      50,
    ]);
    const oldest = await seriesOf(p, {
      metrics: "OldestMsgAgeSeconds",
      from: m(0).toISOString(),
      to: m(1).toISOString(),
    });
    expect(oldest.series[0]?.points.map((pt) => pt.v)).toEqual([50]);
  });

  it("a policy about some queues or topics narrows the account's totals to what it shows, without API series", async () => {
    const owner = await createTestPrincipal();
    const prefix = uniqueName("mine");
    const mine = await createTestQueue(owner, { name: `${prefix}-a` });
    const hidden = await createTestQueue(owner, { name: uniqueName("hidden") });
    const m0 = minutesAgo(30);
    const db = getPool();
    await db.query("INSERT INTO metric_tick (at) VALUES ($1) ON CONFLICT DO NOTHING", [m0]);
    await db.query(
      `INSERT INTO metric_minute (resource_kind, resource_id, at, account_id, send_msg_num, visible_msg_num)
       VALUES (1, $1, $3, $4, 3, 5), (1, $2, $3, $4, 40, 70)`,
      [mine.id, hidden.id, m0, owner.accountId],
    );
    await db.query(
      `INSERT INTO metric_api_minute (account_id, action, at, requests, errors, latency)
       VALUES ($1, 'SendMessage', $2, 9, 1, '{9}')`,
      [owner.accountId, m0],
    );
    const range = { from: m0.toISOString(), to: new Date(m0.getTime() + MINUTE).toISOString() };
    const query = { ...range, metrics: "SendMsgNum,VisibleMsgNum,ApiRequests" };
    const valuesOf = (r: Awaited<ReturnType<typeof seriesOf>>) =>
      r.series.map((x) => [x.metric, x.points.map((pt) => pt.v)]);

    const whole = await seriesOf(owner, query);
    expect(whole.visibleOnly).toBe(false);
    expect(valuesOf(whole)).toEqual([
      ["SendMsgNum", [43]],
      ["VisibleMsgNum", [75]],
      ["ApiRequests", [9]],
    ]);
    const scoped = developerWith(owner, {
      effect: "allow",
      actions: ["queue:*", "message:*"],
      resources: [`${prefix}-*`],
    });
    const narrowed = await seriesOf(scoped, query);
    expect(narrowed.visibleOnly).toBe(true);
    expect(valuesOf(narrowed)).toEqual([
      ["SendMsgNum", [3]],
      ["VisibleMsgNum", [5]],
    ]);
    // A policy about topics hides a topic: queue totals stay whole, the API series go.
    await createTopic(owner, { name: uniqueName("t"), filterType: "tag" });
    const topicsOnly = developerWith(owner, { effect: "allow", actions: ["topic:*"], resources: [`${prefix}-*`] });
    const topicNarrowed = await seriesOf(topicsOnly, query);
    expect(topicNarrowed.visibleOnly).toBe(true);
    expect(valuesOf(topicNarrowed)).toEqual([
      ["SendMsgNum", [43]],
      ["VisibleMsgNum", [75]],
    ]);
    // A deny of monitor:read on a queue takes it out of the totals too, as it takes out its own series.
    const noMonitoring = developerWith(owner, { effect: "deny", actions: ["monitor:read"], resources: [hidden.name] });
    expect(valuesOf(await seriesOf(noMonitoring, query))).toEqual([
      ["SendMsgNum", [3]],
      ["VisibleMsgNum", [5]],
    ]);
    // A deny takes away the queues it names, and the API series with them: the rest is summed.
    const denied = developerWith(owner, {
      effect: "deny",
      actions: ["queue:*", "message:*"],
      resources: [`${prefix}-*`],
    });
    expect(valuesOf(await seriesOf(denied, query))).toEqual([
      ["SendMsgNum", [40]],
      ["VisibleMsgNum", [70]],
    ]);
  });

  it("rolls minutes up into hours: counters summed, gauges the last sample, and reads them back hourly", async () => {
    const p = await createTestPrincipal();
    const q = await createTestQueue(p);
    const hour = new Date(Math.floor((Date.now() - 3 * 24 * HOUR) / HOUR) * HOUR); // older than minute rows
    const at = (minute: number) => new Date(hour.getTime() + minute * MINUTE);
    const db = getPool();
    await db.query("INSERT INTO metric_tick (at) VALUES ($1), ($2), ($3) ON CONFLICT DO NOTHING", [
      at(0),
      at(30),
      at(59),
    ]);
    await db.query(
      `INSERT INTO metric_minute (resource_kind, resource_id, at, account_id, send_msg_num, del_msg_num, visible_msg_num)
       VALUES (1, $1, $2, $5, 3, 1, 40), (1, $1, $3, $5, 4, 2, 30), (1, $1, $4, $5, 5, 0, 20)`,
      [q.id, at(0), at(30), at(59), p.accountId],
    );
    await db.query(
      `INSERT INTO metric_api_minute (account_id, action, at, requests, errors, latency)
       VALUES ($1, 'SendMessage', $2, 2, 1, '{1,1}'), ($1, 'SendMessage', $3, 3, 0, '{0,2,1}')`,
      [p.accountId, at(0), at(59)],
    );
    await rollUpHours(db, hour, new Date(hour.getTime() + HOUR));
    await rollUpHours(db, hour, new Date(hour.getTime() + HOUR)); // again: the same figures, not doubled
    const { rows } = await db.query(
      `SELECT send_msg_num::int AS send, del_msg_num::int AS del, visible_msg_num::int AS visible
       FROM metric_hour WHERE resource_kind = 1 AND resource_id = $1`,
      [q.id],
    );
    expect(rows).toEqual([{ send: 12, del: 3, visible: 20 }]);
    const api = await db.query(
      "SELECT requests::int, errors::int, latency::int[] FROM metric_api_hour WHERE account_id = $1",
      [p.accountId],
    );
    expect(api.rows).toEqual([{ requests: 5, errors: 1, latency: [1, 3, 1] }]);

    const s = await seriesOf(p, {
      scope: "queue",
      name: q.name,
      metrics: "SendMsgNum,VisibleMsgNum",
      from: new Date(hour.getTime() - HOUR).toISOString(),
      to: new Date(hour.getTime() + 2 * HOUR).toISOString(),
    });
    expect(s.stepSeconds).toBe(3600);
    // The hour before and after were not sampled in this test: gaps (unless another test sampled them).
    expect(s.series.map((x) => x.points[1]?.v)).toEqual([12, 20]);
  });

  it("refuses unknown metrics, reversed ranges and a missing name, in the REST error format", async () => {
    const p = await createTestPrincipal();
    expect(await codeOf(seriesOf(p, { metrics: "SendMsgNum,NoSuchMetric" }))).toBe("INVALID_INPUT");
    expect(await codeOf(seriesOf(p, { metrics: "" }))).toBe("INVALID_INPUT");
    expect(
      await codeOf(seriesOf(p, { from: new Date().toISOString(), to: new Date(Date.now() - MINUTE).toISOString() })),
    ).toBe("INVALID_INPUT");
    expect(await codeOf(seriesOf(p, { from: new Date(Date.now() - 400 * 24 * HOUR).toISOString() }))).toBe(
      "INVALID_INPUT",
    );
    expect(await codeOf(seriesOf(p, { scope: "queue" }))).toBe("INVALID_INPUT");
    expect(await codeOf(seriesOf(p, { scope: "queue", name: uniqueName("missing") }))).toBe("QUEUE_NOT_FOUND");
    expect(await codeOf(seriesOf(p, { scope: "topic", name: uniqueName("missing") }))).toBe("NOT_FOUND");
  });

  it("needs monitor:read, and a queue the caller may not see is not found (also in top lists)", async () => {
    const owner = await createTestPrincipal();
    const seen = await createTestQueue(owner, { name: uniqueName("seen") });
    const hidden = await createTestQueue(owner, { name: uniqueName("hidden") });
    await sendMessages(owner, { queueName: seen.name, messages: [{ body: "x" }] });
    await sendMessages(owner, { queueName: hidden.name, messages: [{ body: "x" }, { body: "y" }] });
    await flushMetrics();
    await refreshQueueStats(getPool(), 1);
    await markQueuesCounted(getPool());
    const narrowKey: Principal = { ...owner, access: { ...owner.access, keyPermissions: ["queue:*"] } };
    expect(await codeOf(seriesOf(narrowKey, {}))).toBe("FORBIDDEN");
    expect(await codeOf(getTopQueues(narrowKey, { by: "backlog", limit: 10 }))).toBe("FORBIDDEN");
    const developer = developerWith(owner, { effect: "allow", actions: ["queue:*"], resources: [seen.name] });
    expect(await codeOf(seriesOf(developer, { scope: "queue", name: hidden.name }))).toBe("QUEUE_NOT_FOUND");
    const visible = await seriesOf(developer, { scope: "queue", name: seen.name });
    expect(total(visible.series[0]?.points ?? [])).toBe(1);
    expect(await getTopQueues(developer, { by: "backlog", limit: 10 })).toEqual({
      by: "backlog",
      queues: [{ name: seen.name, value: 1 }],
    });
    expect((await getTopQueues(owner, { by: "backlog", limit: 10 })).queues).toEqual([
      { name: hidden.name, value: 2 },
      { name: seen.name, value: 1 },
    ]);
    expect((await getTopQueues(owner, { by: "traffic", limit: 1 })).queues).toEqual([{ name: hidden.name, value: 2 }]);
    // A key narrowed to monitoring (a scraper's) reads the metrics of every queue its user sees.
    const monitorKey: Principal = { ...owner, access: { ...owner.access, keyPermissions: ["monitor:read"] } };
    expect((await getTopQueues(monitorKey, { by: "backlog", limit: 10 })).queues).toEqual([
      { name: hidden.name, value: 2 },
      { name: seen.name, value: 1 },
    ]);
    expect(total((await seriesOf(monitorKey, { scope: "queue", name: hidden.name })).series[0]?.points ?? [])).toBe(2);
    const developerMonitorKey: Principal = {
      ...developer,
      access: { ...developer.access, keyPermissions: ["monitor:read"] },
    };
    expect((await getTopQueues(developerMonitorKey, { by: "backlog", limit: 10 })).queues).toEqual([
      { name: seen.name, value: 1 },
    ]);
    expect(await codeOf(seriesOf(developerMonitorKey, { scope: "queue", name: hidden.name }))).toBe("QUEUE_NOT_FOUND");
    // A deny of monitor:read on a queue takes it out of the top lists too.
    const unmonitored = developerWith(owner, { effect: "deny", actions: ["monitor:read"], resources: [hidden.name] });
    expect((await getTopQueues(unmonitored, { by: "backlog", limit: 10 })).queues).toEqual([
      { name: seen.name, value: 1 },
    ]);
    // /metrics for the developer's key: its visible queue only.
    await getPool().query(
      "INSERT INTO api_total (account_id, action, requests, errors, latency) VALUES ($1, 'SendMessage', 5, 0, '{5}')",
      [owner.accountId],
    );
    const text = await renderPrometheus({
      accountId: owner.accountId,
      canSee: (n) => n === seen.name,
      includesApiCalls: false,
    });
    expect(text).toContain(`opencmq_queue_messages_sent_total{account_id="${owner.accountId}",`);
    expect(text).toContain(`queue="${seen.name}"} 1\n`);
    expect(text).not.toContain(hidden.name);
    // …and not the API call counters, which count calls on the hidden queue too; the owner's has them.
    expect(text).not.toMatch(/^opencmq_api_requests_total\{/m);
    const whole = await renderPrometheus({ accountId: owner.accountId, canSee: () => true, includesApiCalls: true });
    expect(whole).toMatch(/^opencmq_api_requests_total\{.*action="SendMessage"\} 5$/m);
  });
});

describe("counts without scanning", () => {
  it("moves a large queue's recount on by the flushed counters, lists it without scanning, and sorts server-side", async () => {
    const p = await createTestPrincipal();
    const big = await createTestQueue(p, { name: uniqueName("big") });
    const small = await createTestQueue(p, { name: uniqueName("small") });
    const db = getPool();
    await db.query(
      "INSERT INTO message (queue_id, body, visible_at) SELECT $1, 'm' || g, now() FROM generate_series(1, $2) g",
      [big.id, exactCountCap + 100],
    );
    await refreshQueueStats(db, 1);
    await markQueuesCounted(db);
    await sendMessages(p, { queueName: big.name, messages: [{ body: "1" }, { body: "2" }, { body: "3" }] });
    await sendMessages(p, { queueName: small.name, messages: [{ body: "s" }] });
    const [leased] = await receiveMessages(p, { queueName: big.name, max: 1, waitSeconds: 0 });
    await flushMetrics();
    const queue = await getQueue(p, big.name);
    expect(queue.countsAreExact).toBe(false);
    expect(queue.counts).toMatchObject({ visible: exactCountCap + 100 + 3 - 1, inFlight: 1 });
    expect(queue.rates.sendPerSecond).toBeGreaterThan(0);
    expect(queue.rates.receivePerSecond).toBeGreaterThan(0);
    expect(queue.rates.deletePerSecond).toBe(0);
    await deleteMessages(p, { queueName: big.name, receiptHandles: [leased?.receiptHandle as string] });
    await flushMetrics();
    expect((await getQueue(p, big.name)).counts).toMatchObject({ visible: exactCountCap + 102, inFlight: 0 });
    // A small queue is still counted exactly per request.
    expect(await getQueue(p, small.name)).toMatchObject({ countsAreExact: true, counts: { visible: 1 } });

    const bySize = await listQueues(p, { offset: 0, limit: 10, sort: "backlog" });
    expect(bySize.queues.map((x) => x.name)).toEqual([big.name, small.name]);
    expect(
      (await listQueues(p, { offset: 0, limit: 10, sort: "backlog", order: "asc" })).queues.map((x) => x.name),
    ).toEqual([small.name, big.name]);
    expect((await listQueues(p, { offset: 1, limit: 1, sort: "name" })).queues.map((x) => x.name)).toEqual([
      small.name,
    ]);
    expect((await listQueues(p, { offset: 0, limit: 1, sort: "sendRate" })).queues.map((x) => x.name)).toEqual([
      big.name,
    ]);

    // The gauge sampler writes this minute's counts of every queue, without scanning messages, once.
    await db.query("DELETE FROM metric_tick WHERE at = date_trunc('minute', now())");
    expect(await sampleQueueGauges(db)).toBeGreaterThanOrEqual(1);
    expect(await sampleQueueGauges(db)).toBe(0);
    const sample = await db.query(
      `SELECT msg_heap_num::int AS heap FROM metric_minute
       WHERE resource_kind = 1 AND resource_id = $1 AND msg_heap_num IS NOT NULL ORDER BY at DESC LIMIT 1`,
      [big.id],
    );
    expect(sample.rows).toEqual([{ heap: exactCountCap + 102 }]);
    await db.query("DELETE FROM message WHERE queue_id = $1", [big.id]);
  });
});
