import { parseOrThrow } from "@/lib/api/validation";
import { maxBatch, type ReceivedMessage, receiveMessagesSchema, sendMessageSchema } from "@/lib/schemas/message";
import { deleteMessages, receiveMessages, sendMessages } from "@/lib/services/messages";
import { CmqError, cmqErrors } from "../errors";
import type { CmqParams } from "../params";
import { type Action, type ActionContext, unixSeconds } from "./types";

// Message actions (reference/cmq-api.md §3) over lib/services/messages. A queueName no queue can
// have needs no check here: the services answer it QUEUE_NOT_FOUND (4440), as any missing queue.

function messageInputs(bodies: string[], params: CmqParams) {
  const delaySeconds = params.optionalInt("delaySeconds");
  return bodies.map((body) => parseOrThrow(sendMessageSchema, { body, delaySeconds }, "parameters"));
}

const messageFields = (m: ReceivedMessage) => ({
  msgBody: m.body,
  msgId: m.id,
  receiptHandle: m.receiptHandle,
  enqueueTime: unixSeconds(m.enqueuedAt),
  firstDequeueTime: unixSeconds(m.firstDequeuedAt),
  nextVisibleTime: unixSeconds(m.nextVisibleAt),
  dequeueCount: m.dequeueCount,
});

export const sendMessageAction: Action = async ({ principal, params }) => {
  const [sent] = await sendMessages(
    principal,
    params.string("queueName"),
    messageInputs([params.optionalString("msgBody") ?? ""], params),
  );
  return { msgId: sent?.id };
};

export const batchSendMessageAction: Action = async ({ principal, params }) => {
  const bodies = params.list("msgBody", maxBatch);
  const sent = await sendMessages(principal, params.string("queueName"), messageInputs(bodies, params));
  return { msgList: sent.map((m) => ({ msgId: m.id })) };
};

async function receive(ctx: ActionContext, max: number) {
  const input = parseOrThrow(
    receiveMessagesSchema,
    { max, waitSeconds: ctx.params.optionalInt("pollingWaitSeconds") },
    "parameters",
  );
  const messages = await receiveMessages(ctx.principal, ctx.params.string("queueName"), input, ctx.signal);
  if (messages.length === 0) throw cmqErrors.noMessage();
  return messages;
}

export const receiveMessageAction: Action = async (ctx) => {
  const [message] = await receive(ctx, 1);
  return message ? messageFields(message) : {};
};

export const batchReceiveMessageAction: Action = async (ctx) => {
  const numOfMsg = ctx.params.int("numOfMsg");
  if (numOfMsg < 1 || numOfMsg > maxBatch) throw cmqErrors.batchSize("numOfMsg", maxBatch);
  return { msgInfoList: (await receive(ctx, numOfMsg)).map(messageFields) };
};

export const deleteMessageAction: Action = async ({ principal, params }) => {
  const result = await deleteMessages(principal, params.string("queueName"), [params.string("receiptHandle")]);
  if (result.deleted === 0) throw cmqErrors.receiptHandleInvalid();
  return {};
};

export const batchDeleteMessageAction: Action = async ({ principal, params }) => {
  const handles = params.list("receiptHandle", maxBatch);
  const result = await deleteMessages(principal, params.string("queueName"), handles);
  if (result.failed.length === 0) return {};
  const refusal = cmqErrors.receiptHandleInvalid();
  const errorList = result.failed.map((f) => ({
    code: refusal.code,
    message: refusal.cmqMessage,
    receiptHandle: f.receiptHandle,
  }));
  if (result.failed.length === handles.length) {
    throw new CmqError("BATCH_DELETE_FAILED", "batch delete message failed", { errorList });
  }
  throw new CmqError("BATCH_DELETE_PARTIAL", "delete message partially failed", { errorList });
};
