import { z } from "zod";
import { isBigintId } from "./ids";
import { queueNameSchema } from "./queue";
import { text } from "./text";

// Topics and subscriptions over REST (issue 11): the requests and answers of /api/v1/topics…, shared
// by the route handlers, the OpenAPI document and the console. CMQ's rules are in
// reference/cmq-api.md §4; its limits are here.

export const topicLimits = {
  maxMsgSize: { min: 1024, max: 1_048_576, default: 65_536 },
  /** CMQ keeps topic messages one day; not settable there. */
  msgRetentionSeconds: 86_400,
  topicsPerAccount: 1000,
  subscriptionsPerTopic: 100,
  /** tags of a message, filter tags and binding keys of a subscription */
  tagsPerItem: 5,
  tagLength: 16,
  routingKeyBytes: 64,
  /** dots in a routing or binding key (16 words) */
  routingKeyDots: 15,
  httpEndpointLength: 500,
  batch: 16,
} as const;

export const topicFilterTypes = ["tag", "routing"] as const;
export type TopicFilterType = (typeof topicFilterTypes)[number];
export const subscriptionProtocols = ["queue", "http"] as const;
export const notifyStrategies = ["BACKOFF_RETRY", "EXPONENTIAL_DECAY_RETRY"] as const;
export const notifyContentFormats = ["JSON", "SIMPLIFIED"] as const;

/** Topic and subscription names follow the queue naming rule (CMQ: same rule for all three). */
export const topicNameSchema = queueNameSchema;
export const subscriptionNameSchema = queueNameSchema;

const tagSchema = text().min(1).max(topicLimits.tagLength);
const tagsSchema = z.array(tagSchema).max(topicLimits.tagsPerItem);
/** Words separated by '.', ≤ 64 bytes, ≤ 15 dots; binding keys may use '*' and '#' as whole words. */
const routingKeySchema = text().max(topicLimits.routingKeyBytes);

export const createTopicSchema = z.strictObject({
  name: topicNameSchema,
  filterType: z.enum(topicFilterTypes).default("tag").describe("fixed after creation"),
  maxMsgSize: z.number().int().min(topicLimits.maxMsgSize.min).max(topicLimits.maxMsgSize.max).optional(),
});
export type CreateTopicInput = z.infer<typeof createTopicSchema>;

export const updateTopicSchema = z.strictObject({
  maxMsgSize: z.number().int().min(topicLimits.maxMsgSize.min).max(topicLimits.maxMsgSize.max).optional(),
});
export type UpdateTopicInput = z.infer<typeof updateTopicSchema>;

export const listTopicsQuerySchema = z.strictObject({
  search: text().max(64).optional(),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type ListTopicsQuery = z.infer<typeof listTopicsQuerySchema>;

export const topicSchema = z.object({
  id: z.string(),
  /** CMQ's topicId ("topic-…") */
  topicId: z.string(),
  name: z.string(),
  filterType: z.enum(topicFilterTypes),
  maxMsgSize: z.number().int(),
  msgRetentionSeconds: z.number().int(),
  subscriptionCount: z.number().int(),
  /** HTTP pushes not yet delivered or dropped (CMQ's msgCount) */
  pendingPushes: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Topic = z.infer<typeof topicSchema>;

export const topicListSchema = z.object({ topics: z.array(topicSchema), total: z.number().int() });
export type TopicList = z.infer<typeof topicListSchema>;

export const createSubscriptionSchema = z.strictObject({
  name: subscriptionNameSchema,
  protocol: z.enum(subscriptionProtocols),
  /** queue: a queue name of the same account; http: an http:// or https:// URL (≤ 500 characters) */
  endpoint: text().min(1).max(topicLimits.httpEndpointLength),
  notifyStrategy: z.enum(notifyStrategies).optional(),
  /** queue subscriptions are always SIMPLIFIED (CMQ refuses JSON for them) */
  notifyContentFormat: z.enum(notifyContentFormats).optional(),
  filterTags: tagsSchema.optional(),
  bindingKeys: z.array(routingKeySchema.min(1)).max(topicLimits.tagsPerItem).optional(),
});
export type CreateSubscriptionInput = z.infer<typeof createSubscriptionSchema>;

/** protocol and endpoint are fixed after creation (as in CMQ). */
export const updateSubscriptionSchema = createSubscriptionSchema
  .pick({ notifyStrategy: true, notifyContentFormat: true, filterTags: true, bindingKeys: true })
  .partial();
export type UpdateSubscriptionInput = z.infer<typeof updateSubscriptionSchema>;

export const subscriptionSchema = z.object({
  id: z.string(),
  /** CMQ's subscriptionId */
  subscriptionId: z.string(),
  name: z.string(),
  topic: z.string(),
  protocol: z.enum(subscriptionProtocols),
  endpoint: z.string(),
  /** queue subscriptions: false once the queue was deleted (deliveries to it fail) */
  endpointExists: z.boolean(),
  notifyStrategy: z.enum(notifyStrategies),
  notifyContentFormat: z.enum(notifyContentFormats),
  filterTags: z.array(z.string()),
  bindingKeys: z.array(z.string()),
  /** HTTP pushes not yet delivered or dropped */
  pendingPushes: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Subscription = z.infer<typeof subscriptionSchema>;

export const subscriptionListSchema = z.object({
  subscriptions: z.array(subscriptionSchema),
  total: z.number().int(),
});
export type SubscriptionList = z.infer<typeof subscriptionListSchema>;

/** One HTTP subscription's push signature key, shown to whoever may manage subscriptions. */
export const pushSecretSchema = z.object({ secret: z.string() });

/** Publish 1–16 messages; tags (tag topics) or routingKey (routing topics) apply to all of them. */
export const publishSchema = z.strictObject({
  messages: z
    .array(z.strictObject({ body: text() }))
    .min(1)
    .max(topicLimits.batch),
  tags: tagsSchema.optional(),
  routingKey: routingKeySchema.optional(),
});
export type PublishInput = z.infer<typeof publishSchema>;

export const publishResultSchema = z.object({
  messages: z.array(z.object({ id: z.string() })),
  /** names of the subscriptions each message was delivered or queued for push to */
  subscriptions: z.array(z.string()),
});
export type PublishResult = z.infer<typeof publishResultSchema>;

/** The routing tester: which subscriptions a publish with these tags / this key would reach, and why. */
export const routeTestSchema = z.strictObject({
  tags: tagsSchema.optional(),
  routingKey: routingKeySchema.optional(),
});
export type RouteTestInput = z.infer<typeof routeTestSchema>;

export const routeTestResultSchema = z.object({
  matches: z.array(
    z.object({
      subscription: z.string(),
      protocol: z.enum(subscriptionProtocols),
      endpoint: z.string(),
      matched: z.boolean(),
      /** e.g. "no filter tags: receives everything", "tag 'a' in both", "binding key 'a.*' matches 'a.b'" */
      reason: z.string(),
      /** the filter tag or binding key that decided, if one did */
      matchedBy: z.string().nullable(),
    }),
  ),
});
export type RouteTestResult = z.infer<typeof routeTestResultSchema>;

export const listTopicMessagesQuerySchema = z.strictObject({
  /** a topic message id: list messages published before it (newest first) */
  before: z.string().refine(isBigintId, "must be a message id").optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const deliveryAttemptSchema = z.object({
  attempt: z.number().int(),
  startedAt: z.string(),
  latencyMs: z.number().int(),
  httpStatus: z.number().int().nullable(),
  error: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
});

export const deliverySchema = z.object({
  subscription: z.string(),
  protocol: z.enum(subscriptionProtocols),
  endpoint: z.string(),
  /** queue: delivered in the publish's transaction (or failed: queue gone); http: the push's state */
  status: z.enum(["pending", "delivered", "dropped", "failed"]),
  /** queue: the message's id in that queue */
  queueMessageId: z.string().nullable(),
  attempts: z.array(deliveryAttemptSchema),
  nextAttemptAt: z.string().nullable(),
});

export const topicMessageSchema = z.object({
  id: z.string(),
  body: z.string(),
  tags: z.array(z.string()),
  routingKey: z.string().nullable(),
  publishedAt: z.string(),
  deliveries: z.array(deliverySchema),
});
export type TopicMessage = z.infer<typeof topicMessageSchema>;

export const topicMessageListSchema = z.object({
  messages: z.array(topicMessageSchema),
  nextBefore: z.string().nullable(),
});

export const redeliverSchema = z.strictObject({ subscription: subscriptionNameSchema });
