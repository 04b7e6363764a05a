import { type Access, canMonitorQueue, canMonitorTopic } from "@/lib/auth/permissions";
import type { Principal } from "@/lib/auth/principal";
import { settings } from "@/lib/config";
import { getPool } from "@/lib/db/pool";
import { AppError } from "@/lib/errors";
import { quantileMs } from "@/lib/metrics/latency";
import { buildPoints, stepFor, stepStarts } from "@/lib/metrics/series";
import {
  counterMetrics,
  type MetricName,
  metricNames,
  type Series,
  type SeriesQuery,
  type SeriesResponse,
  type TopQueues,
} from "@/lib/schemas/metrics";
import {
  type ApproximateCounts,
  approximateCountsSql,
  counterColumns,
  gaugeColumns,
  type ResourceScope,
  resourceKindCode,
  selectApiRows,
  selectQueueTraffic,
  selectResourceRows,
  selectTicks,
} from "@/lib/store/metrics";
import { authorize } from "./authorize";

// Metric series and top lists for the console and REST clients (GET /api/v1/metrics/*). Reading them
// takes monitor:read; a queue, topic or subscription the caller may not see is "not found", and an
// account's top lists hold only the queues the caller may see, and its totals only what the caller
// sees (a policy about some queues or topics narrows them; API call series are then left out).

const MINUTE_RETENTION_MS = 2 * 86_400_000;
const apiMetrics = new Set<MetricName>(["ApiRequests", "ApiErrors", "ApiLatencyP50Ms", "ApiLatencyP99Ms"]);

export async function getMetricSeries(principal: Principal, query: SeriesQuery): Promise<SeriesResponse> {
  authorize(principal, "monitor:read");
  const metrics = parseMetricNames(query.metrics);
  const fromMs = Date.parse(query.from);
  const toMs = Date.parse(query.to);
  const retentionMs = settings().metricsRetentionDays * 86_400_000;
  if (!(fromMs < toMs)) throw invalid("from", "must be before `to`.");
  if (toMs - fromMs > retentionMs + 86_400_000) {
    throw invalid("from", `the range may span at most the retention (${settings().metricsRetentionDays} days).`);
  }
  const scope = await resolveScope(principal, query);
  const { stepSeconds, hourly } = stepFor(fromMs, toMs, Date.now() - MINUTE_RETENTION_MS);
  const starts = stepStarts(fromMs, toMs, stepSeconds);
  const from = new Date(starts[0] ?? fromMs);
  const to = new Date(toMs);

  const resourceMetrics = metrics.filter((m) => !apiMetrics.has(m));
  const columnOf = (m: MetricName) =>
    (counterColumns as Record<string, string>)[m] ?? (gaugeColumns as Record<string, string>)[m] ?? "";
  const [rows, ticks] = await Promise.all([
    selectResourceRows(scope, hourly ? "metric_hour" : "metric_minute", from, to, resourceMetrics.map(columnOf)),
    selectTicks(from, to, hourly),
  ]);
  const tickTimes = ticks.map((t) => t.at.getTime());
  const series: Series[] = [];
  for (const metric of metrics) {
    if (apiMetrics.has(metric)) continue;
    const column = columnOf(metric);
    const kind = isCounter(metric) ? "counter" : "gauge";
    const values = new Map(rows.map((r) => [r.at.getTime(), r.values[column] ?? null]));
    series.push({
      metric,
      kind,
      labels: {},
      points: buildPoints({ starts, stepSeconds, kind, values, ticks: tickTimes }),
    });
  }
  // API calls are counted per account: they have series at account scope only, and only for a caller
  // who sees all of it (they count calls on every queue and topic).
  const visibleOnly = scope.only !== undefined;
  if (scope.kind === undefined && !visibleOnly && metrics.some((m) => apiMetrics.has(m))) {
    series.push(
      ...(await apiSeries(principal.accountId, metrics, { from, to, hourly, stepSeconds, starts, tickTimes })),
    );
  }
  return { from: from.toISOString(), to: to.toISOString(), stepSeconds, series, visibleOnly };
}

async function apiSeries(
  accountId: string,
  metrics: MetricName[],
  range: { from: Date; to: Date; hourly: boolean; stepSeconds: number; starts: number[]; tickTimes: number[] },
): Promise<Series[]> {
  const rows = await selectApiRows(
    accountId,
    range.hourly ? "metric_api_hour" : "metric_api_minute",
    range.from,
    range.to,
    range.stepSeconds,
  );
  const actions = [...new Set(rows.map((r) => r.action))].sort();
  const series: Series[] = [];
  for (const metric of metrics.filter((m) => apiMetrics.has(m))) {
    for (const action of actions) {
      const mine = rows.filter((r) => r.action === action);
      let points: Series["points"];
      if (metric === "ApiRequests" || metric === "ApiErrors") {
        const field = metric === "ApiRequests" ? "requests" : "errors";
        const values = new Map(mine.map((r) => [r.bucket.getTime(), r[field]]));
        points = buildPoints({
          starts: range.starts,
          stepSeconds: range.stepSeconds,
          kind: "counter",
          values,
          ticks: range.tickTimes,
        });
      } else {
        // A latency exists only where there were calls: elsewhere the step has none (null).
        const q = metric === "ApiLatencyP50Ms" ? 0.5 : 0.99;
        const byStart = new Map(mine.map((r) => [r.bucket.getTime(), r.latency]));
        points = range.starts.map((start) => {
          const histogram = byStart.get(start);
          const v = histogram ? quantileMs(histogram, q) : null;
          return { t: new Date(start).toISOString(), v: v === null ? null : Math.round(v * 100) / 100 };
        });
      }
      series.push({ metric, kind: isCounter(metric) ? "counter" : "gauge", labels: { action }, points });
    }
  }
  return series;
}

export async function getTopQueues(
  principal: Principal,
  query: { by: "backlog" | "age" | "traffic"; limit: number; from?: string; to?: string },
): Promise<TopQueues> {
  authorize(principal, "monitor:read");
  const counts = await currentQueueCounts(principal.accountId);
  const visible = counts.filter((q) => canMonitorQueue(principal.access, q.name));
  let ranked: { name: string; value: number }[];
  if (query.by === "traffic") {
    const toMs = query.to ? Date.parse(query.to) : Date.now();
    const fromMs = query.from ? Date.parse(query.from) : toMs - 3_600_000;
    if (!(fromMs < toMs)) throw invalid("from", "must be before `to`.");
    const hourly = fromMs < Date.now() - MINUTE_RETENTION_MS;
    const traffic = await selectQueueTraffic(
      principal.accountId,
      hourly ? "metric_hour" : "metric_minute",
      new Date(fromMs),
      new Date(toMs),
    );
    ranked = visible.map((q) => ({ name: q.name, value: traffic.get(String(q.queue_id)) ?? 0 }));
  } else if (query.by === "backlog") {
    ranked = visible.map((q) => ({ name: q.name, value: q.total }));
  } else {
    const now = Date.now();
    ranked = visible.map((q) => ({
      name: q.name,
      value: q.oldest && q.total > 0 ? Math.max(0, Math.round((now - q.oldest.getTime()) / 1000)) : 0,
    }));
  }
  const queues = ranked
    .filter((q) => q.value > 0)
    .sort((a, b) => b.value - a.value || a.name.localeCompare(b.name))
    .slice(0, query.limit);
  return { by: query.by, queues };
}

/** Every queue of the account with its counts kept without scanning (lib/store/metrics.ts). */
async function currentQueueCounts(accountId: string): Promise<ApproximateCounts[]> {
  const { rows } = await getPool().query<ApproximateCounts>(approximateCountsSql("q.account_id = $1"), [accountId]);
  return rows;
}

/** The metric names asked for: known ones, each once. */
function parseMetricNames(text: string): MetricName[] {
  const names = [...new Set(text.split(",").map((n) => n.trim()))].filter((n) => n !== "");
  if (names.length === 0) throw invalid("metrics", "name at least one metric.");
  const unknown = names.filter((n) => !(metricNames as readonly string[]).includes(n));
  if (unknown.length > 0) {
    throw invalid("metrics", `unknown metric ${JSON.stringify(unknown[0])}; known: ${metricNames.join(", ")}.`);
  }
  return names as MetricName[];
}

const isCounter = (m: MetricName) => (counterMetrics as readonly string[]).includes(m);

const invalid = (path: string, message: string) =>
  new AppError("INVALID_INPUT", `Invalid query: ${path}: ${message}`, { issues: [{ path, message }] });

/** The rows a series reads: the account's, or one resource the caller may see (else "not found"). */
async function resolveScope(principal: Principal, query: SeriesQuery): Promise<ResourceScope> {
  const accountId = principal.accountId;
  if (query.scope === "account") return accountScope(accountId, principal.access);
  if (!query.name)
    throw invalid("name", `scope ${query.scope} needs the name of a ${query.scope === "queue" ? "queue" : "topic"}.`);
  if (query.scope === "queue") {
    const notFound = new AppError("QUEUE_NOT_FOUND", `Queue "${query.name}" does not exist.`);
    if (!canMonitorQueue(principal.access, query.name)) throw notFound;
    const row = await findByName("queue", accountId, query.name);
    // Decided on the row found (its own spelling), never only on the name typed.
    if (!row || !canMonitorQueue(principal.access, row.name)) throw notFound;
    return { accountId, kind: resourceKindCode.queue, resourceId: row.id };
  }
  const topicMissing = new AppError("NOT_FOUND", `Topic "${query.name}" does not exist.`);
  const topic = await findByName("topic", accountId, query.name);
  if (!topic || !canMonitorTopic(principal.access, topic.name)) throw topicMissing;
  if (query.scope === "topic") return { accountId, kind: resourceKindCode.topic, resourceId: topic.id };
  if (!query.subscription) throw invalid("subscription", "scope subscription needs the subscription's name.");
  const { rows } = await getPool().query<{ id: string }>(
    "SELECT id::text FROM subscription WHERE topic_id = $1 AND lower(name) = lower($2)",
    [topic.id, query.subscription],
  );
  const subscription = rows[0];
  if (!subscription) {
    throw new AppError("NOT_FOUND", `Topic "${topic.name}" has no subscription "${query.subscription}".`);
  }
  return { accountId, kind: resourceKindCode.subscription, resourceId: subscription.id };
}

/**
 * The account as the caller may see it: whole, or — where a policy, a deny or an API key's narrowing
 * hides some queues or topics — only the queues (topics, with their subscriptions) it shows, so totals
 * never include hidden ones. Decided per resource by the same rules as the per-queue series.
 */
export async function accountScope(accountId: string, access: Access): Promise<ResourceScope> {
  if (access.role === "owner" && access.keyPermissions.length === 0) return { accountId };
  const pool = getPool();
  const [queues, topics] = await Promise.all([
    pool.query<{ id: string; name: string }>("SELECT id::text, name FROM queue WHERE account_id = $1", [accountId]),
    pool.query<{ id: string; topic: string; isTopic: boolean }>(
      `SELECT id::text, name AS topic, true AS "isTopic" FROM topic WHERE account_id = $1
       UNION ALL
       SELECT s.id::text, t.name, false FROM subscription s JOIN topic t ON t.id = s.topic_id WHERE t.account_id = $1`,
      [accountId],
    ),
  ]);
  const seenQueues = queues.rows.filter((q) => canMonitorQueue(access, q.name));
  const seenTopics = topics.rows.filter((r) => canMonitorTopic(access, r.topic));
  if (seenQueues.length === queues.rows.length && seenTopics.length === topics.rows.length) return { accountId };
  return {
    accountId,
    only: {
      [resourceKindCode.queue]: seenQueues.map((q) => q.id),
      [resourceKindCode.topic]: seenTopics.filter((r) => r.isTopic).map((r) => r.id),
      [resourceKindCode.subscription]: seenTopics.filter((r) => !r.isTopic).map((r) => r.id),
    },
  };
}

/** A queue or topic by its exact name, ignoring case (never a pattern: DESIGN.md §4.8). */
async function findByName(table: "queue" | "topic", accountId: string, name: string) {
  const { rows } = await getPool().query<{ id: string; name: string }>(
    `SELECT id::text, name FROM ${table} WHERE account_id = $1 AND lower(name) = lower($2)`,
    [accountId, name],
  );
  return rows[0] ?? null;
}
