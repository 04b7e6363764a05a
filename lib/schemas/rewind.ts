import { z } from "zod";
import { instantSchema, messageIdSchema } from "./message-filter";
import { text } from "./text";

// Rewind (issue 10) and changing a message's visibility: shared by REST, CMQ and the console.

export const rewindQueueSchema = z.strictObject({
  startConsumeTime: instantSchema.describe(
    "Re-deliver the deleted messages produced at or after this time, in production order; within [now − rewindSeconds, now]",
  ),
});
export type RewindQueueInput = z.infer<typeof rewindQueueSchema>;

export const rewindResultSchema = z.object({
  rewound: z.number().int().describe("Messages moved back into the queue, visible now"),
});
export type RewindResult = z.infer<typeof rewindResultSchema>;

/** 0 ends the lease (or delay) now; otherwise the message stays hidden this many seconds from now. */
export const visibilityTimeoutSchema = z.number().int().min(0).max(43_200);

export const changeVisibilitySchema = z.strictObject({
  receiptHandle: text().min(1).max(256),
  visibilityTimeout: visibilityTimeoutSchema,
});
export type ChangeVisibilityInput = z.infer<typeof changeVisibilitySchema>;

export const changedVisibilitySchema = z.object({
  receiptHandle: z.string().describe("The same handle: it stays valid while the new lease holds"),
  nextVisibleAt: z.string(),
});

export const changeVisibilityByIdSchema = z.strictObject({ visibilityTimeout: visibilityTimeoutSchema });

export const changedVisibilityByIdSchema = z.object({ id: z.string(), nextVisibleAt: z.string() });

/** Path parameters of /queues/{name}/messages/{id}/visibility. */
export const messageIdParamsSchema = z.object({ name: z.string(), id: messageIdSchema });
