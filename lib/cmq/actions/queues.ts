import { z } from "zod";
import { parseOrThrow } from "@/lib/api/validation";
import {
  createQueueSchema,
  listQueuesQuerySchema,
  type Queue,
  queueNamePattern,
  updateQueueSchema,
} from "@/lib/schemas/queue";
import { listDeadLetterSources } from "@/lib/services/dead-letters";
import { createQueue, deleteQueue, getQueue, listQueueNames, updateQueue } from "@/lib/services/queues";
import { cmqErrors } from "../errors";
import type { CmqParams } from "../params";
import { deadLetterPolicyField, deadLetterPolicyParam } from "./dead-letter-policy";
import { type Action, unixSeconds } from "./types";

// Queue management actions (reference/cmq-api.md §3) over lib/services/queues.

/** The queueName parameter; a name no queue can have is refused before any lookup, as CMQ does. */
function queueNameParam(params: CmqParams): string {
  const name = params.string("queueName");
  if (!queueNamePattern.test(name)) throw cmqErrors.queueNameInvalid();
  return name;
}

function attributes(params: CmqParams) {
  const entries = {
    maxMsgHeapNum: params.optionalInt("maxMsgHeapNum"),
    pollingWaitSeconds: params.optionalInt("pollingWaitSeconds"),
    visibilityTimeout: params.optionalInt("visibilityTimeout"),
    maxMsgSize: params.optionalInt("maxMsgSize"),
    msgRetentionSeconds: params.optionalInt("msgRetentionSeconds"),
    rewindSeconds: params.optionalInt("rewindSeconds"),
    deadLetter: deadLetterPolicyParam(params),
  };
  // The Python and Java SDKs send maxMsgHeapNum only when > 0; treat 0 or less as "not given".
  if (entries.maxMsgHeapNum !== undefined && entries.maxMsgHeapNum <= 0) entries.maxMsgHeapNum = undefined;
  return Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined));
}

const attributeFields = (q: Queue) => ({
  maxMsgHeapNum: q.maxMsgHeapNum,
  pollingWaitSeconds: q.pollingWaitSeconds,
  visibilityTimeout: q.visibilityTimeout,
  maxMsgSize: q.maxMsgSize,
  msgRetentionSeconds: q.msgRetentionSeconds,
  rewindSeconds: q.rewindSeconds,
});

export const createQueueAction: Action = async ({ principal, params }) => {
  const input = parseOrThrow(createQueueSchema, { name: queueNameParam(params), ...attributes(params) }, "parameters");
  const queue = await createQueue(principal, input);
  return { queueId: queue.id };
};

export const setQueueAttributesAction: Action = async ({ principal, params }) => {
  const name = queueNameParam(params);
  const input = parseOrThrow(updateQueueSchema, attributes(params), "parameters");
  const queue = await updateQueue(principal, { queueName: name, changes: input });
  return { ...attributeFields(queue), ...deadLetterPolicyField(queue.deadLetter) };
};

export const getQueueAttributesAction: Action = async ({ principal, params }) => {
  const q = await getQueue(principal, queueNameParam(params));
  return {
    ...attributeFields(q),
    ...deadLetterPolicyField(q.deadLetter),
    createTime: unixSeconds(q.createdAt),
    lastModifyTime: unixSeconds(q.updatedAt),
    activeMsgNum: q.counts.visible,
    inactiveMsgNum: q.counts.inFlight,
    delayMsgNum: q.counts.delayed,
    rewindmsgNum: q.counts.rewindable,
    // The Java SDK reads this spelling (getInt throws when the key is missing); the doc and Python use the one above.
    rewindMsgNum: q.counts.rewindable,
    minMsgTime: q.oldestMessageAgeSeconds === null ? 0 : Math.floor(Date.now() / 1000) - q.oldestMessageAgeSeconds,
    queueId: q.id,
    queueName: q.name,
    createUin: 0,
  };
};

// CMQ pages queue lists by at most 50.
const listQueueParamsSchema = listQueuesQuerySchema.extend({ limit: z.number().int().min(1).max(50) });

export const listQueueAction: Action = async ({ principal, params }) => {
  const query = parseOrThrow(
    listQueueParamsSchema,
    {
      search: params.optionalString("searchWord") || undefined,
      offset: params.optionalInt("offset") ?? 0,
      limit: params.optionalInt("limit") ?? 20,
    },
    "parameters",
  );
  // Names only: ListQueue never counts messages.
  const { queues, total } = await listQueueNames(principal, query);
  return { totalCount: total, queueList: queues.map((q) => ({ queueId: q.id, queueName: q.name })) };
};

export const deleteQueueAction: Action = async ({ principal, params }) => {
  await deleteQueue(principal, queueNameParam(params));
  return {};
};

export const listDeadLetterSourceQueuesAction: Action = async ({ principal, params }) => {
  const name = params.string("deadLetterQueueName");
  if (!queueNamePattern.test(name)) throw cmqErrors.queueNameInvalid();
  const query = parseOrThrow(
    listQueueParamsSchema,
    {
      search: params.optionalString("searchWord") || undefined,
      offset: params.optionalInt("offset") ?? 0,
      limit: params.optionalInt("limit") ?? 20,
    },
    "parameters",
  );
  const { queues, total } = await listDeadLetterSources(principal, { queueName: name, ...query });
  return { totalCount: total, queueList: queues.map((q) => ({ queueId: q.id, queueName: q.name })) };
};

export const unbindDeadLetterQueueAction: Action = async ({ principal, params }) => {
  await updateQueue(principal, { queueName: queueNameParam(params), changes: { deadLetter: null } });
  return {};
};
