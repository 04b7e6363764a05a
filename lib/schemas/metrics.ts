import { z } from "zod";
import { queueNameSchema } from "./queue-name";

// Monitoring over REST (issue 12): the series the console charts and the Top-N lists of the overview,
// shared by the route handlers, the OpenAPI document and the console.
//
//   GET /api/v1/metrics/series?scope=…&name=…&metrics=A,B&from=ISO&to=ISO   → seriesResponseSchema
//   GET /api/v1/metrics/top?by=backlog|age|traffic&limit=10&from=ISO&to=ISO  → topQueuesSchema
//
// Counters are summed per step (the console divides by stepSeconds for a rate); gauges are the last
// sample in the step. A step with no data is null — a gap, never a zero.

/** Counted events (CMQ's Cloud Monitor names where it has one; reference/cmq-api.md §8). */
export const counterMetrics = [
  "SendMsgNum",
  "RecvMsgNum",
  "RecvNullMsgNum",
  "DelMsgNum",
  "NumOfMsgPublished",
  "NumOfNotify",
  "NumOfSuccNotify",
  "NumOfFailNotify",
  "ApiRequests",
  "ApiErrors",
] as const;

/** Sampled values. */
export const gaugeMetrics = [
  "VisibleMsgNum",
  "InvisibleMsgNum",
  "DelayedMsgNum",
  "RewindMsgNum",
  "DeadMsgNum",
  "MsgHeapNum",
  "OldestMsgAgeSeconds",
  "ApiLatencyP50Ms",
  "ApiLatencyP99Ms",
] as const;

export const metricNames = [...counterMetrics, ...gaugeMetrics] as const;
export type MetricName = (typeof metricNames)[number];

export const metricScopes = ["account", "queue", "topic", "subscription"] as const;

/** Ranges the console offers; any from/to within the retention is accepted. */
export const metricRanges = ["15m", "1h", "6h", "24h", "7d", "30d"] as const;

export const seriesQuerySchema = z.strictObject({
  scope: z.enum(metricScopes).default("account"),
  /** the queue or topic (scope queue, topic, subscription) */
  name: queueNameSchema.optional(),
  /** scope subscription: the subscription of topic `name` */
  subscription: queueNameSchema.optional(),
  /** comma-separated metric names */
  metrics: z.string().max(1000),
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
});
export type SeriesQuery = z.infer<typeof seriesQuerySchema>;

export const seriesSchema = z.object({
  metric: z.enum(metricNames),
  kind: z.enum(["counter", "gauge"]),
  /** e.g. { action: "SendMessage" } for per-action API metrics; {} otherwise */
  labels: z.record(z.string(), z.string()),
  /** one point per step from `from` to `to`; v null = no data (a gap) */
  points: z.array(z.object({ t: z.string(), v: z.number().nullable() })),
});
export type Series = z.infer<typeof seriesSchema>;

export const seriesResponseSchema = z.object({
  from: z.string(),
  to: z.string(),
  /** 60 up to 6 h, 300 up to 48 h, 3600 beyond */
  stepSeconds: z.number().int(),
  series: z.array(seriesSchema),
  /**
   * Account scope for a caller whose policy shows only some queues or topics: the series sum those
   * alone, and the per-action API series (which count calls on every resource) are left out.
   */
  visibleOnly: z.boolean(),
});
export type SeriesResponse = z.infer<typeof seriesResponseSchema>;

export const topQueuesQuerySchema = z.strictObject({
  by: z.enum(["backlog", "age", "traffic"]),
  limit: z.coerce.number().int().min(1).max(50).default(10),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});

export const topQueuesSchema = z.object({
  by: z.enum(["backlog", "age", "traffic"]),
  /** backlog: messages; age: seconds; traffic: messages sent + received in the range */
  queues: z.array(z.object({ name: z.string(), value: z.number() })),
});
export type TopQueues = z.infer<typeof topQueuesSchema>;

/** Added to each Queue of GET /api/v1/queues and /queues/{name}: the last 5 minutes' rates. */
export const queueRatesSchema = z.object({
  sendPerSecond: z.number(),
  receivePerSecond: z.number(),
  deletePerSecond: z.number(),
});
export type QueueRates = z.infer<typeof queueRatesSchema>;

/** GET /api/v1/queues gains ?sort=…&order=… (sorting is server-side because the list is paged). */
export const queueSortKeys = ["name", "createdAt", "backlog", "oldestAge", "sendRate", "receiveRate"] as const;
