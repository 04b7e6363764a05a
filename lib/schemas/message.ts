import { z } from "zod";
import { text } from "./text";

export const maxBatch = 16;
export const maxDelaySeconds = 3600;
export const maxWaitSeconds = 30;
/** Sum of the bodies in one batch (CMQ 4470: total message size exceeds 1 MB). */
export const maxBatchBytes = 1_048_576;

export const tagSchema = text().min(1).max(16);

export const sendMessageSchema = z.strictObject({
  body: text().describe(
    "Unicode text without NUL (U+0000) and without lone surrogates; binary data must be encoded (e.g. base64)",
  ),
  delaySeconds: z.number().int().min(0).max(maxDelaySeconds).optional(),
  tags: z.array(tagSchema).max(5).optional(),
});
export type SendMessageInput = z.infer<typeof sendMessageSchema>;

export const sendMessagesSchema = z.strictObject({
  messages: z.array(sendMessageSchema).min(1).max(maxBatch),
});

export const sentMessagesSchema = z.object({ messages: z.array(z.object({ id: z.string() })) });

export const receiveMessagesSchema = z.strictObject({
  max: z.number().int().min(1).max(maxBatch).optional(),
  waitSeconds: z.number().int().min(0).max(maxWaitSeconds).optional(),
  visibilityTimeout: z.number().int().min(1).max(43_200).optional(),
});
export type ReceiveMessagesInput = z.infer<typeof receiveMessagesSchema>;

export const receivedMessageSchema = z.object({
  id: z.string(),
  body: z.string(),
  receiptHandle: z.string(),
  enqueuedAt: z.string(),
  firstDequeuedAt: z.string(),
  nextVisibleAt: z.string(),
  dequeueCount: z.number().int(),
  tags: z.array(z.string()),
});
export type ReceivedMessage = z.infer<typeof receivedMessageSchema>;
export const receivedMessagesSchema = z.object({ messages: z.array(receivedMessageSchema) });

export const deleteMessagesSchema = z.strictObject({
  receiptHandles: z.array(text().min(1).max(256)).min(1).max(maxBatch),
});

export const deleteResultSchema = z.object({
  deleted: z.number().int(),
  failed: z.array(z.object({ receiptHandle: z.string(), code: z.string(), message: z.string() })),
});
export type DeleteResult = z.infer<typeof deleteResultSchema>;
