import { z } from "zod";
import { isPeekCursor } from "./ids";
import { tagSchema } from "./message";
import { instantSchema, type MessageFilter, messageFilterStateSchema, messageIdSchema } from "./message-filter";
import { text } from "./text";

// The message browser's REST shapes (GET /queues/{name}/messages and /messages/{id}): a page of one
// MessageFilter's messages, with bounded previews of their bodies, and one message in full.

/** A list page carries at most this many characters of each body; GET /messages/{id} has the rest. */
export const bodyPreviewChars = 2048;

export const peekQuerySchema = z
  .strictObject({
    state: messageFilterStateSchema.default("all"),
    search: text()
      .max(200)
      .optional()
      .describe(
        "Substring of the body, any case. A page reads a bounded stretch of the queue (rows and bytes), so fewer matches than `limit` with a nextCursor means more may follow.",
      ),
    tag: tagSchema.optional().describe("messages carrying this tag"),
    id: messageIdSchema.optional().describe("only the message with this id"),
    enqueuedFrom: instantSchema.optional().describe("enqueued at or after"),
    enqueuedBefore: instantSchema.optional().describe("enqueued before"),
    cursor: z.string().refine(isPeekCursor, "must be a nextCursor returned by a previous page").optional(),
    limit: z.coerce.number().int().min(1).max(100).default(50),
  })
  .refine((q) => !q.enqueuedFrom || !q.enqueuedBefore || Date.parse(q.enqueuedFrom) < Date.parse(q.enqueuedBefore), {
    message: "enqueuedFrom must be before enqueuedBefore",
    path: ["enqueuedBefore"],
  });
export type PeekQuery = z.infer<typeof peekQuerySchema>;

/** The page's query as the one MessageFilter (an empty search is no search). */
export function filterOfPeekQuery(query: PeekQuery): MessageFilter {
  return {
    state: query.state,
    ...(query.id ? { ids: [query.id] } : {}),
    ...(query.search ? { search: query.search } : {}),
    ...(query.tag ? { tag: query.tag } : {}),
    ...(query.enqueuedFrom ? { enqueuedFrom: query.enqueuedFrom } : {}),
    ...(query.enqueuedBefore ? { enqueuedBefore: query.enqueuedBefore } : {}),
  };
}

export const messageIdParamsSchema = z.object({ name: z.string(), id: messageIdSchema });

export const peekedMessageSchema = z.object({
  id: z.string(),
  body: z.string().describe(`In a list page, the first ${bodyPreviewChars} characters (see bodyTruncated)`),
  bodyTruncated: z.boolean(),
  sizeBytes: z.number().int().describe("the whole body's size in UTF-8 bytes"),
  state: z
    .enum(["visible", "delayed", "inFlight", "rewindable"])
    .describe("delivery state; rewindable: deleted and kept for RewindQueue"),
  enqueuedAt: z.string(),
  firstEnqueuedAt: z.string().nullable().describe("the first send, when a redrive re-enqueued the message"),
  firstDequeuedAt: z.string().nullable(),
  nextVisibleAt: z.string().nullable().describe("in flight: when the lease ends; delayed: when the delay ends"),
  dequeueCount: z.number().int(),
  tags: z.array(z.string()),
  redriveCount: z.number().int(),
  isDead: z.boolean().describe("died in another queue and sits in this one, its dead-letter queue"),
  death: z
    .object({
      reason: z.string().describe("maxReceiveCount or maxTimeToLive"),
      fromQueue: z.string().nullable().describe("the origin queue (null if deleted or not visible to you)"),
      diedAt: z.string().nullable().describe("null once redriven"),
      dequeueCount: z.number().int().nullable().describe("receives before it died"),
    })
    .nullable()
    .describe("the message's last death"),
  deletedAt: z.string().nullable().describe("rewindable messages: when they were deleted"),
});
export type PeekedMessage = z.infer<typeof peekedMessageSchema>;

export const stateTotalsSchema = z.object({
  all: z.number().int(),
  visible: z.number().int(),
  delayed: z.number().int(),
  inFlight: z.number().int(),
  dead: z.number().int(),
  rewindable: z.number().int(),
  isApproximate: z.boolean().describe("large queues: figures of the last statistics sweep"),
  countedAt: z.string(),
});
export type StateTotals = z.infer<typeof stateTotalsSchema>;

export const searchWalkSchema = z.object({
  rows: z.number().int().describe("messages whose bodies this page searched"),
  bytes: z.number().int().describe("body bytes this page searched"),
  stoppedBy: z.enum(["rows", "bytes"]).nullable().describe("the budget that ended the walk; null: the end"),
});
export type SearchWalk = z.infer<typeof searchWalkSchema>;

export const peekPageSchema = z.object({
  messages: z.array(peekedMessageSchema),
  nextCursor: z.string().nullable(),
  totals: stateTotalsSchema.nullable().describe("the queue's messages per state, on the first page only"),
  searched: searchWalkSchema.nullable().describe("with a search: how much this page read"),
});
export type PeekPage = z.infer<typeof peekPageSchema>;
