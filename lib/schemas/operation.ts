import { z } from "zod";
import { uuidSchema } from "./ids";
import { messageFilterSchema, messageIdSchema } from "./message-filter";
import { queueNameSchema } from "./queue";

// Operator operations on a queue's messages: purge, redrive, move and copy (lib/services/operations.ts).
// Each is counted first (dryRun: the count only), then done in batches; small ones finish inside
// the request.

export const operationKinds = ["purge", "redrive", "move", "copy"] as const;
export type OperationKind = (typeof operationKinds)[number];
export const operationStatuses = ["pending", "running", "done", "failed", "cancelled"] as const;
export type OperationStatus = (typeof operationStatuses)[number];

export const operationLimits = {
  /** Rows per batch; each batch is one short transaction. */
  batchSize: 5000,
  /** Operations of at most this many messages finish inside the request (200, status "done"). */
  inlineMax: 1000,
  ratePerSecond: { min: 1, max: 10_000 },
  /**
   * Redrive's default pace: the origin queues' consumers get a steady stream rather than a flood
   * of everything that died (SQS's redrive lets the operator choose a velocity the same way).
   */
  redriveDefaultRate: 1000,
  /** Loop guard: a message redriven this many times already stays where it is (counted in skipped). */
  maxRedrives: 10,
} as const;

const dryRun = z.boolean().optional().describe("count the messages the operation would act on; change nothing");

export const purgeRequestSchema = z.strictObject({
  filter: messageFilterSchema.optional().describe("default: every message of the queue (state all)"),
  dryRun,
});
export type PurgeRequest = z.infer<typeof purgeRequestSchema>;

export const redriveRequestSchema = z.strictObject({
  filter: messageFilterSchema.optional().describe('default: state "dead"'),
  target: queueNameSchema.optional().describe("default: each message back to the queue it died in"),
  ratePerSecond: z
    .number()
    .int()
    .min(operationLimits.ratePerSecond.min)
    .max(operationLimits.ratePerSecond.max)
    .optional()
    .describe(`messages a second, default ${operationLimits.redriveDefaultRate}`),
  dryRun,
});
export type RedriveRequest = z.infer<typeof redriveRequestSchema>;

export const moveRequestSchema = z.strictObject({
  filter: messageFilterSchema,
  target: queueNameSchema,
  copy: z.boolean().optional().describe("copy (new messages with new ids) instead of move"),
  dryRun,
});
export type MoveRequest = z.infer<typeof moveRequestSchema>;

export const operationSchema = z.object({
  id: z.string(),
  kind: z.enum(operationKinds),
  status: z.enum(operationStatuses),
  filter: messageFilterSchema,
  target: z.string().nullable(),
  total: z.number().int(),
  processed: z.number().int(),
  skipped: z.number().int(),
  ratePerSecond: z.number().int().nullable(),
  error: z.string().nullable().describe("why it failed, or why messages were skipped"),
  createdBy: z.string(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type Operation = z.infer<typeof operationSchema>;

export const dryRunCountSchema = z.object({ count: z.number().int() });
export const operationStartedSchema = z.object({ operation: operationSchema });
export const operationAnswerSchema = z.union([dryRunCountSchema, operationStartedSchema]);
export type OperationAnswer = z.infer<typeof operationAnswerSchema>;

export const operationListSchema = z.object({ operations: z.array(operationSchema) });

export const operationParamsSchema = z.object({ name: z.string(), id: uuidSchema });
export const messageParamsSchema = z.object({ name: z.string(), id: messageIdSchema });

/** 200 for a count or an operation that already ended (small ones end inside the request), 202 while it runs on. */
export const httpStatusOfAnswer = (answer: unknown): number => {
  const status = (answer as { operation?: Operation }).operation?.status;
  return status === "pending" || status === "running" ? 202 : 200;
};
