import { z } from "zod";

// Answers of the operator endpoints of issue 10 that the console calls but other parts of the server
// define (dead-letter queues, rewind, visibility, purge / redrive / move operations). Parsed loosely
// (z.object keeps to the fields the console reads), written from the REST contract.

export const deadLetterPolicies = ["maxReceiveCount", "maxTimeToLive"] as const;
export type DeadLetterPolicy = (typeof deadLetterPolicies)[number];

export const deadLetterSchema = z.object({
  queue: z.string(),
  policy: z.enum(deadLetterPolicies),
  maxReceiveCount: z.number().int().nullable(),
  maxTimeToLive: z.number().int().nullable(),
});
export type DeadLetter = z.infer<typeof deadLetterSchema>;

/** Ranges of the dead-letter policy (CMQ): receives before death, seconds before death. */
export const deadLetterLimits = {
  maxReceiveCount: { min: 1, max: 1000 },
  maxTimeToLive: { min: 300, max: 43_200 },
} as const;

export const operationKinds = ["purge", "redrive", "move", "copy"] as const;
export const operationStatuses = ["pending", "running", "done", "failed", "cancelled"] as const;

export const operationSchema = z.object({
  id: z.string(),
  kind: z.enum(operationKinds),
  status: z.enum(operationStatuses),
  filter: z.unknown(),
  target: z.string().nullable(),
  total: z.number(),
  processed: z.number(),
  skipped: z.number(),
  ratePerSecond: z.number().nullable(),
  error: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type Operation = z.infer<typeof operationSchema>;
export type OperationKind = Operation["kind"];

export const isOperationFinished = (operation: Pick<Operation, "status">) =>
  operation.status === "done" || operation.status === "failed" || operation.status === "cancelled";

export const dryRunAnswerSchema = z.object({ count: z.number().int() });
export const operationAnswerSchema = z.object({ operation: operationSchema });
export const operationListSchema = z.object({ operations: z.array(operationSchema) });
export const rewoundSchema = z.object({ rewound: z.number().int() });
export const visibilityChangedSchema = z.object({ id: z.string(), nextVisibleAt: z.string() });
export const deadLetterSourcesSchema = z.object({
  queues: z.array(z.object({ id: z.string(), name: z.string() })),
  total: z.number().int(),
});

/** A queue's dead-letter binding as the queue answer carries it (null before the feature is on). */
export function deadLetterOf(queue: { deadLetter?: unknown }): DeadLetter | null {
  const parsed = deadLetterSchema.safeParse(queue.deadLetter);
  return parsed.success ? parsed.data : null;
}

/** A count the queue answer may carry (counts.dead arrives with dead-letter queues). */
export function countOf(queue: { counts: object }, key: string): number | null {
  const value = (queue.counts as Record<string, unknown>)[key];
  return typeof value === "number" ? value : null;
}
