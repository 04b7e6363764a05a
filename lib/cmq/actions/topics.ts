import { z } from "zod";
import { parseOrThrow } from "@/lib/api/validation";
import {
  createTopicSchema,
  listTopicsQuerySchema,
  publishSchema,
  type Topic,
  topicLimits,
  updateTopicSchema,
} from "@/lib/schemas/topic";
import { publishMessages } from "@/lib/services/publish";
import { createTopic, deleteTopic, getTopic, listTopics, updateTopic } from "@/lib/services/topics";
import { CmqError, cmqErrors } from "../errors";
import type { CmqParams } from "../params";
import { type Action, unixSeconds } from "./types";

// Topic actions (reference/cmq-api.md §4) over lib/services/topics and publish, with the parameters
// and answers Tencent's SDKs send and read: filterType 1 (tags, also when empty) or 2 (routing keys);
// the Python and Go SDKs always send routingKey, empty when unused, and number msgTag from 1 or 0.

/** Values of `prefix.n`, none when absent; more than `max` answers CMQ's own code for that list. */
export function optionalList(params: CmqParams, prefix: string, max: number, tooMany: () => CmqError): string[] {
  if (!params.entries.some(([name]) => name.startsWith(`${prefix}.`))) return [];
  const values = params.list(prefix, 1000);
  if (values.length > max) throw tooMany();
  return values;
}

export const msgTags = (params: CmqParams) =>
  optionalList(
    params,
    "msgTag",
    topicLimits.tagsPerItem,
    () => new CmqError("MSG_TAGS_TOO_MANY", `a message has at most ${topicLimits.tagsPerItem} msgTag`),
  );

function filterTypeParam(params: CmqParams) {
  const raw = params.optionalString("filterType");
  if (raw === undefined || raw === "" || raw === "1") return "tag";
  if (raw === "2") return "routing";
  throw cmqErrors.badParam("filterType", "must be 1 (tags) or 2 (routing keys)");
}

export const createTopicAction: Action = async ({ principal, params }) => {
  const maxMsgSize = params.optionalInt("maxMsgSize");
  const input = parseOrThrow(
    createTopicSchema,
    {
      name: params.string("topicName"),
      filterType: filterTypeParam(params),
      // The Python SDK sends maxMsgSize only when > 0; 0 or less means "not given".
      ...(maxMsgSize !== undefined && maxMsgSize > 0 ? { maxMsgSize } : {}),
    },
    "parameters",
  );
  const topic = await createTopic(principal, input);
  return { topicId: topic.topicId };
};

export const setTopicAttributesAction: Action = async ({ principal, params }) => {
  const maxMsgSize = params.optionalInt("maxMsgSize");
  const changes = parseOrThrow(
    updateTopicSchema,
    maxMsgSize !== undefined && maxMsgSize > 0 ? { maxMsgSize } : {},
    "parameters",
  );
  await updateTopic(principal, { topicName: params.string("topicName"), changes });
  return {};
};

const topicFields = (t: Topic) => ({
  topicId: t.topicId,
  topicName: t.name,
  msgCount: t.pendingPushes,
  maxMsgSize: t.maxMsgSize,
  msgRetentionSeconds: t.msgRetentionSeconds,
  createTime: unixSeconds(t.createdAt),
  lastModifyTime: unixSeconds(t.updatedAt),
  filterType: t.filterType === "routing" ? 2 : 1,
  createUin: 0,
  tags: [],
});

export const getTopicAttributesAction: Action = async ({ principal, params }) =>
  topicFields(await getTopic(principal, params.string("topicName")));

// CMQ pages topic lists by at most 50.
const listTopicParamsSchema = listTopicsQuerySchema.extend({ limit: z.number().int().min(1).max(50) });

export const listTopicAction: Action = async ({ principal, params }) => {
  const query = parseOrThrow(
    listTopicParamsSchema,
    {
      search: params.optionalString("searchWord") || undefined,
      offset: params.optionalInt("offset") ?? 0,
      limit: params.optionalInt("limit") ?? 20,
    },
    "parameters",
  );
  const { topics, total } = await listTopics(principal, query);
  return { totalCount: total, topicList: topics.map((t) => ({ topicId: t.topicId, topicName: t.name })) };
};

export const deleteTopicAction: Action = async ({ principal, params }) => {
  await deleteTopic(principal, params.string("topicName"));
  return {};
};

async function publish(params: CmqParams, bodies: string[], principal: Parameters<Action>[0]["principal"]) {
  const input = parseOrThrow(
    publishSchema,
    {
      messages: bodies.map((body) => ({ body })),
      tags: msgTags(params),
      // Empty (as the SDKs send it when unused) is no routing key: zero words on a routing topic.
      routingKey: params.optionalString("routingKey") || undefined,
    },
    "parameters",
  );
  return publishMessages(principal, { topicName: params.string("topicName"), ...input });
}

export const publishMessageAction: Action = async ({ principal, params }) => {
  const result = await publish(params, [params.optionalString("msgBody") ?? ""], principal);
  return { msgId: result.messages[0]?.id };
};

export const batchPublishMessageAction: Action = async ({ principal, params }) => {
  const result = await publish(params, params.list("msgBody", topicLimits.batch), principal);
  return { msgList: result.messages.map((m) => ({ msgId: m.id })) };
};
