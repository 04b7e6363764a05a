import { parseOrThrow } from "@/lib/api/validation";
import { maxBatch, type ReceivedMessage, receiveMessagesSchema, sendMessageSchema } from "@/lib/schemas/message";
import { queueNamePattern } from "@/lib/schemas/queue";
import { deleteMessages, receiveMessages, sendMessages } from "@/lib/services/messages";
import { CmqError, cmqErrors } from "../errors";
import type { CmqParams } from "../params";
import { type Action, type ActionContext, unixSeconds } from "./types";

// Message actions (reference/cmq-api.md §3) over lib/services/messages.

function queueName(params: CmqParams): string {
  const name = params.string("queueName");
  if (!queueNamePattern.test(name)) throw new CmqError(4440, 10100, `queue ${name} does not exist`);
  return name;
}

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
  const [sent] = await sendMessages(principal, {
    queueName: queueName(params),
    messages: messageInputs([params.optionalString("msgBody") ?? ""], params),
  });
  return { msgId: sent?.id };
};

export const batchSendMessageAction: Action = async ({ principal, params }) => {
  const bodies = params.list("msgBody", maxBatch);
  const sent = await sendMessages(principal, { queueName: queueName(params), messages: messageInputs(bodies, params) });
  return { msgList: sent.map((m) => ({ msgId: m.id })) };
};

async function receive(ctx: ActionContext, max: number) {
  const input = parseOrThrow(
    receiveMessagesSchema,
    { max, waitSeconds: ctx.params.optionalInt("pollingWaitSeconds") },
    "parameters",
  );
  const messages = await receiveMessages(ctx.principal, {
    queueName: queueName(ctx.params),
    ...input,
    signal: ctx.signal,
  });
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
  const result = await deleteMessages(principal, {
    queueName: queueName(params),
    receiptHandles: [params.string("receiptHandle")],
  });
  if (result.deleted === 0) throw new CmqError(4430, 10260, "receipt handle is invalid or its lease has ended");
  return {};
};

export const batchDeleteMessageAction: Action = async ({ principal, params }) => {
  const handles = params.list("receiptHandle", maxBatch);
  const result = await deleteMessages(principal, { queueName: queueName(params), receiptHandles: handles });
  if (result.failed.length === 0) return {};
  const errorList = result.failed.map((f) => ({
    code: 4430,
    message: "(10260)receipt handle is invalid or its lease has ended",
    receiptHandle: f.receiptHandle,
  }));
  if (result.failed.length === handles.length) {
    throw new CmqError(6020, 10290, "batch delete message failed", { errorList });
  }
  throw new CmqError(6010, 10150, "delete message partially failed", { errorList });
};
