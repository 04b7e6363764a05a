import { z } from "zod";
import { isBigintId, isStorableInstant } from "./ids";
import { tagSchema } from "./message";
import { text } from "./text";

// Which of a queue's messages an operator means: the message browser pages through them, purge,
// redrive, move and copy act on them, and a dry run counts them — all with the one predicate built
// from this filter (lib/store/message-filter.ts), so the count confirmed is the count acted on.

/**
 * A message's state. visible / delayed / inFlight are its delivery state; dead marks a message that
 * died in another queue and sits in this one, its dead-letter queue (in any delivery state);
 * rewindable are deleted messages kept for rewind (message_history).
 */
export const messageFilterStateSchema = z.enum(["all", "visible", "delayed", "inFlight", "dead", "rewindable"]);
export type MessageFilterState = z.infer<typeof messageFilterStateSchema>;

export const instantSchema = z.iso
  .datetime({ offset: true })
  .refine(isStorableInstant, "must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z");

export const messageIdSchema = z.string().refine(isBigintId, "must be a message id as returned by the API");

export const maxFilterIds = 100;

export const messageFilterSchema = z
  .strictObject({
    state: messageFilterStateSchema.default("all"),
    ids: z.array(messageIdSchema).min(1).max(maxFilterIds).optional().describe("only these message ids"),
    search: text().min(1).max(200).optional().describe("substring of the body, any case"),
    tag: tagSchema.optional().describe("messages carrying this tag"),
    enqueuedFrom: instantSchema.optional().describe("enqueued at or after"),
    enqueuedBefore: instantSchema.optional().describe("enqueued before"),
  })
  .refine((f) => !f.enqueuedFrom || !f.enqueuedBefore || Date.parse(f.enqueuedFrom) < Date.parse(f.enqueuedBefore), {
    message: "enqueuedFrom must be before enqueuedBefore",
    path: ["enqueuedBefore"],
  });
export type MessageFilter = z.infer<typeof messageFilterSchema>;
