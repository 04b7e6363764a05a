import { z } from "zod";
import { queueRatesSchema, queueSortKeys } from "./metrics";
import { queueNameSchema } from "./queue-name";
import { text } from "./text";

// CMQ's queue attributes with their ranges and defaults (reference/cmq-api.md §3, §6).
// maxMsgSize accepts up to 1 MiB because later CMQ SDKs and TDMQ create queues with 1048576;
// the default stays classic CMQ's 64 KiB.
export const queueLimits = {
  visibilityTimeout: { min: 1, max: 43_200, default: 30 },
  pollingWaitSeconds: { min: 0, max: 30, default: 0 },
  maxMsgSize: { min: 1024, max: 1_048_576, default: 65_536 },
  msgRetentionSeconds: { min: 60, max: 1_296_000, default: 345_600 },
  maxMsgHeapNum: { min: 1_000_000, max: 1_000_000_000, default: 100_000_000 },
  rewindSeconds: { min: 0, max: 1_296_000, default: 0 },
} as const;

export const maxQueuesPerAccount = 1000;

// CMQ's dead-letter policy (reference/cmq-api.md §3): policy 0 counts receives, policy 1 the time
// since enqueue, which must stay below the source's msgRetentionSeconds (checked by the service).
export const deadLetterLimits = {
  maxReceiveCount: { min: 1, max: 1000 },
  maxTimeToLive: { min: 300, max: 43_200 },
  /** A queue is the dead-letter queue of at most this many source queues. */
  maxSources: 6,
} as const;
export const deadLetterPolicies = ["maxReceiveCount", "maxTimeToLive"] as const;
export type DeadLetterPolicyName = (typeof deadLetterPolicies)[number];
export { queueNamePattern, queueNameSchema } from "./queue-name";

const limited = (key: keyof typeof queueLimits) =>
  z
    .number()
    .int()
    .min(queueLimits[key].min)
    .max(queueLimits[key].max)
    .describe(`${queueLimits[key].min}–${queueLimits[key].max}, default ${queueLimits[key].default}`);

const deadLetterLimit = (key: "maxReceiveCount" | "maxTimeToLive") =>
  z
    .number()
    .int()
    .min(deadLetterLimits[key].min)
    .max(deadLetterLimits[key].max)
    .describe(`${deadLetterLimits[key].min}–${deadLetterLimits[key].max}`);

/** Binding a dead-letter queue: the field its policy counts by is required. */
export const deadLetterInputSchema = z
  .strictObject({
    queue: queueNameSchema,
    policy: z.enum(deadLetterPolicies),
    maxReceiveCount: deadLetterLimit("maxReceiveCount").nullable().optional(),
    maxTimeToLive: deadLetterLimit("maxTimeToLive").nullable().optional(),
  })
  .refine((d) => d[d.policy] != null, {
    message: "the field the policy counts by (maxReceiveCount or maxTimeToLive) is required",
    path: ["policy"],
  });
export type DeadLetterInput = z.infer<typeof deadLetterInputSchema>;

export const deadLetterSchema = z.object({
  queue: z.string().describe("the dead-letter queue's name"),
  queueId: z.string().describe("the dead-letter queue's id"),
  policy: z.enum(deadLetterPolicies),
  maxReceiveCount: z.number().int().nullable(),
  maxTimeToLive: z.number().int().nullable(),
});
export type DeadLetter = z.infer<typeof deadLetterSchema>;

export const queueAttributesSchema = z.strictObject({
  visibilityTimeout: limited("visibilityTimeout"),
  pollingWaitSeconds: limited("pollingWaitSeconds"),
  maxMsgSize: limited("maxMsgSize"),
  msgRetentionSeconds: limited("msgRetentionSeconds"),
  maxMsgHeapNum: limited("maxMsgHeapNum"),
  rewindSeconds: limited("rewindSeconds"),
  /** null unbinds (PATCH). */
  deadLetter: deadLetterInputSchema.nullable(),
});
export type QueueAttributes = z.infer<typeof queueAttributesSchema>;

export const createQueueSchema = queueAttributesSchema.partial().extend({ name: queueNameSchema });
export type CreateQueueInput = z.infer<typeof createQueueSchema>;

export const updateQueueSchema = queueAttributesSchema.partial();
export type UpdateQueueInput = z.infer<typeof updateQueueSchema>;

export const listQueuesQuerySchema = z.strictObject({
  search: text().max(64).optional(),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  /** Server-side order (the list is paged); default createdAt, newest first. Metric sorts use the
   * counts and rates kept without scanning (approximate for queues that change quickly). */
  sort: z.enum(queueSortKeys).optional(),
  /** Default: asc for name, desc otherwise. */
  order: z.enum(["asc", "desc"]).optional(),
});
export type ListQueuesQuery = z.infer<typeof listQueuesQuerySchema>;

export const queueCountsSchema = z.object({
  visible: z.number().int(),
  inFlight: z.number().int(),
  delayed: z.number().int(),
  rewindable: z.number().int(),
  dead: z.number().int().describe("messages that died in another queue (dead-letter reason and origin kept)"),
});
export type QueueCounts = z.infer<typeof queueCountsSchema>;

export const queueSchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  visibilityTimeout: z.number().int(),
  pollingWaitSeconds: z.number().int(),
  maxMsgSize: z.number().int(),
  msgRetentionSeconds: z.number().int(),
  maxMsgHeapNum: z.number().int(),
  rewindSeconds: z.number().int(),
  deadLetter: deadLetterSchema.nullable(),
  counts: queueCountsSchema,
  oldestMessageAgeSeconds: z.number().nullable(),
  countsAreExact: z.boolean().describe("false when the queue is large and counts come from the last stats sweep"),
  countsAt: z.string(),
  rates: queueRatesSchema.describe("the last 5 minutes' messages per second (sent, received, deleted)"),
});
export type Queue = z.infer<typeof queueSchema>;

export const queueListSchema = z.object({ queues: z.array(queueSchema), total: z.number().int() });
export type QueueList = z.infer<typeof queueListSchema>;

export const listDeadLetterSourcesQuerySchema = listQueuesQuerySchema.omit({ sort: true, order: true });
export type ListDeadLetterSourcesQuery = z.infer<typeof listDeadLetterSourcesQuerySchema>;

export const deadLetterSourcesSchema = z.object({
  queues: z.array(z.object({ id: z.string(), name: z.string() })),
  total: z.number().int(),
});
export type DeadLetterSources = z.infer<typeof deadLetterSourcesSchema>;
