import { z } from "zod";
import { parseOrThrow } from "@/lib/api/validation";
import {
  createSubscriptionSchema,
  listTopicsQuerySchema,
  type Subscription,
  topicLimits,
  updateSubscriptionSchema,
} from "@/lib/schemas/topic";
import {
  clearSubscriptionFilterTags,
  createSubscription,
  deleteSubscription,
  getSubscription,
  listSubscriptions,
  updateSubscription,
} from "@/lib/services/subscriptions";
import { CmqError } from "../errors";
import type { CmqParams } from "../params";
import { optionalList } from "./topics";
import { type Action, unixSeconds } from "./types";

// Subscription actions (reference/cmq-api.md §4) over lib/services/subscriptions. The Python SDK
// always sends notifyStrategy and notifyContentFormat; empty values mean "not given".

const ref = (params: CmqParams) => ({
  topicName: params.string("topicName"),
  subscriptionName: params.string("subscriptionName"),
});

/**
 * filterTag.n / bindingKey.n when present (an empty list is "not given", as the SDKs send none). The
 * PHP SDK spells the latter bindindKey.n (and reads `bindindKey` back): taken when bindingKey.n is absent.
 */
function filters(params: CmqParams) {
  const filterTags = optionalList(
    params,
    "filterTag",
    topicLimits.tagsPerItem,
    () => new CmqError("FILTER_TAGS_TOO_MANY", `a subscription has at most ${topicLimits.tagsPerItem} filterTag`),
  );
  const tooManyKeys = () =>
    new CmqError("BINDING_KEYS_TOO_MANY", `a subscription has at most ${topicLimits.tagsPerItem} bindingKey`);
  const given = optionalList(params, "bindingKey", topicLimits.tagsPerItem, tooManyKeys);
  const bindingKeys = given.length ? given : optionalList(params, "bindindKey", topicLimits.tagsPerItem, tooManyKeys);
  return {
    ...(filterTags.length ? { filterTags } : {}),
    ...(bindingKeys.length ? { bindingKeys } : {}),
  };
}

const optional = (params: CmqParams, name: string) => params.optionalString(name) || undefined;

export const subscribeAction: Action = async ({ principal, params }) => {
  const input = parseOrThrow(
    createSubscriptionSchema,
    {
      name: params.string("subscriptionName"),
      // The docs write HTTP and queue; the SDKs' examples lowercase.
      protocol: params.string("protocol").toLowerCase(),
      endpoint: params.string("endpoint"),
      notifyStrategy: optional(params, "notifyStrategy"),
      notifyContentFormat: optional(params, "notifyContentFormat"),
      ...filters(params),
    },
    "parameters",
  );
  const subscription = await createSubscription(principal, { topicName: params.string("topicName"), input });
  return { subscriptionId: subscription.subscriptionId };
};

export const setSubscriptionAttributesAction: Action = async ({ principal, params }) => {
  const changes = parseOrThrow(
    updateSubscriptionSchema,
    {
      notifyStrategy: optional(params, "notifyStrategy"),
      notifyContentFormat: optional(params, "notifyContentFormat"),
      ...filters(params),
    },
    "parameters",
  );
  await updateSubscription(principal, { ...ref(params), changes });
  return {};
};

const subscriptionFields = (s: Subscription) => ({
  subscriptionId: s.subscriptionId,
  subscriptionName: s.name,
  topicName: s.topic,
  topicOwner: 0,
  msgCount: s.pendingPushes,
  protocol: s.protocol,
  // The Python SDK reads this spelling.
  protocal: s.protocol,
  endpoint: s.endpoint,
  notifyStrategy: s.notifyStrategy,
  notifyContentFormat: s.notifyContentFormat,
  createTime: unixSeconds(s.createdAt),
  lastModifyTime: unixSeconds(s.updatedAt),
  bindingKey: s.bindingKeys,
  // The PHP SDK reads this spelling of bindingKey.
  bindindKey: s.bindingKeys,
  // Python reads filterTags; Java and PHP read filterTag.
  filterTags: s.filterTags,
  filterTag: s.filterTags,
});

export const getSubscriptionAttributesAction: Action = async ({ principal, params }) =>
  subscriptionFields(await getSubscription(principal, ref(params)));

// CMQ pages subscriptions by offset 0–1000 and limit up to 100 (0: the default, 20).
const listParamsSchema = listTopicsQuerySchema.extend({
  offset: z.number().int().min(0).max(1000),
  limit: z.number().int().min(1).max(100),
});

export const listSubscriptionByTopicAction: Action = async ({ principal, params }) => {
  const query = parseOrThrow(
    listParamsSchema,
    {
      search: params.optionalString("searchWord") || undefined,
      offset: params.optionalInt("offset") ?? 0,
      limit: params.optionalInt("limit") || 20,
    },
    "parameters",
  );
  const { subscriptions, total } = await listSubscriptions(principal, {
    topicName: params.string("topicName"),
    ...query,
  });
  return {
    totalCount: total,
    subscriptionList: subscriptions.map((s) => ({
      subscriptionId: s.subscriptionId,
      subscriptionName: s.name,
      protocol: s.protocol,
      endpoint: s.endpoint,
    })),
  };
};

export const unsubscribeAction: Action = async ({ principal, params }) => {
  await deleteSubscription(principal, ref(params));
  return {};
};

export const clearSubscriptionFilterTagsAction: Action = async ({ principal, params }) => {
  await clearSubscriptionFilterTags(principal, ref(params));
  return {};
};
