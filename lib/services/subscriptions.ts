import { randomBytes } from "node:crypto";
import { can, canSeeQueue } from "@/lib/auth/permissions";
import type { Principal } from "@/lib/auth/principal";
import { open, seal } from "@/lib/auth/secret-box";
import { escapeLike } from "@/lib/db/like";
import { getPool } from "@/lib/db/pool";
import { getPrisma } from "@/lib/db/prisma";
import { isUniqueViolation } from "@/lib/db/unique-violation";
import { AppError } from "@/lib/errors";
import type { Subscription as SubscriptionModel, Topic as TopicModel } from "@/lib/generated/prisma/client";
import {
  type CreateSubscriptionInput,
  type ListTopicsQuery,
  type Subscription,
  type SubscriptionList,
  topicLimits,
  type UpdateSubscriptionInput,
} from "@/lib/schemas/topic";
import { routingKeyProblem } from "@/lib/topics/matching";
import { audit, inChangeTransaction } from "./audit";
import { authorize } from "./authorize";
import {
  authorizeTopic,
  authorizeTopicChange,
  filterTypeOf,
  findSubscriptionOrThrow,
  findTopicOrThrow,
} from "./topic-lookup";
import { randomKey } from "./topics";

// Subscriptions of a topic (reference/cmq-api.md §4): a queue of the same account, or an HTTP(S)
// endpoint the push worker POSTs to. Managing them takes topic:Subscribe on the topic; reading them
// topic:GetTopicAttributes. Protocol and endpoint are fixed after creation, as in CMQ.

type SubscriptionRef = { topicName: string; subscriptionName: string };

export async function createSubscription(
  principal: Principal,
  { topicName, input }: { topicName: string; input: CreateSubscriptionInput },
): Promise<Subscription> {
  const target = { type: "subscription", name: `${topicName}/${input.name}`, action: "subscription.create" } as const;
  await authorizeTopicChange(principal, "topic:Subscribe", topicName, target, "role");
  const topic = await findTopicOrThrow(principal, topicName);
  await authorizeTopicChange(principal, "topic:Subscribe", topic.name, {
    ...target,
    name: `${topic.name}/${input.name}`,
  });
  checkFilters(topic, input);
  checkBindingKeyGiven(topic, input.bindingKeys);
  const notifyStrategy = input.notifyStrategy ?? "EXPONENTIAL_DECAY_RETRY";
  let endpoint = input.endpoint;
  let queueId: bigint | null = null;
  let notifyContentFormat = input.notifyContentFormat;
  let pushSecretEncrypted: string | null = null;
  if (input.protocol === "queue") {
    if (notifyContentFormat === "JSON") {
      throw new AppError("QUEUE_SUBSCRIPTION_FORMAT", "A queue subscription's notifyContentFormat is SIMPLIFIED.");
    }
    notifyContentFormat = "SIMPLIFIED";
    const queue = await findSubscribableQueue(principal, input.endpoint);
    endpoint = queue.name;
    queueId = queue.id;
  } else {
    checkHttpEndpoint(input.endpoint);
    notifyContentFormat ??= "JSON";
    pushSecretEncrypted = seal(randomBytes(32).toString("base64url"));
  }
  try {
    const created = await inChangeTransaction(async (tx) => {
      // The topic row's lock serialises this topic's subscribes, so concurrent ones cannot all pass
      // the count; NO KEY UPDATE leaves publishes (which only reference the topic) unblocked, and a
      // DeleteTopic (FOR UPDATE) waits for it.
      const locked = await tx.$queryRaw<
        { id: bigint }[]
      >`SELECT id FROM topic WHERE id = ${topic.id} FOR NO KEY UPDATE`;
      if (locked.length === 0) throw new AppError("TOPIC_NOT_FOUND", `Topic "${topic.name}" does not exist.`);
      const count = await tx.subscription.count({ where: { topicId: topic.id } });
      if (count >= topicLimits.subscriptionsPerTopic) {
        throw new AppError(
          "SUBSCRIPTION_LIMIT_EXCEEDED",
          `A topic can have at most ${topicLimits.subscriptionsPerTopic} subscriptions.`,
        );
      }
      const row = await tx.subscription.create({
        data: {
          accountId: principal.accountId,
          topicId: topic.id,
          name: input.name,
          subscriptionKey: randomKey("subscription"),
          protocol: input.protocol,
          endpoint,
          queueId,
          notifyStrategy,
          notifyContentFormat: notifyContentFormat ?? "JSON",
          filterTags: input.filterTags ?? [],
          bindingKeys: input.bindingKeys ?? [],
          pushSecretEncrypted,
        },
      });
      await audit(
        principal,
        {
          action: "subscription.create",
          resourceType: "subscription",
          resourceName: `${topic.name}/${row.name}`,
          details: {
            protocol: row.protocol,
            endpoint: row.endpoint,
            notifyStrategy,
            notifyContentFormat: row.notifyContentFormat,
            filterTags: row.filterTags,
            bindingKeys: row.bindingKeys,
          },
        },
        tx,
      );
      return row;
    });
    return (await withPending(topic, [created]))[0] as Subscription;
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError(
        "SUBSCRIPTION_EXISTS",
        `Topic "${topic.name}" already has a subscription named "${input.name}" (names ignore case).`,
      );
    }
    throw error;
  }
}

export async function listSubscriptions(
  principal: Principal,
  { topicName, search, offset, limit }: { topicName: string } & ListTopicsQuery,
): Promise<SubscriptionList> {
  const topic = await readableTopic(principal, topicName);
  const where = {
    topicId: topic.id,
    ...(search ? { name: { contains: escapeLike(search), mode: "insensitive" as const } } : {}),
  };
  const prisma = getPrisma();
  const [rows, total] = await Promise.all([
    prisma.subscription.findMany({ where, orderBy: [{ createdAt: "asc" }, { id: "asc" }], skip: offset, take: limit }),
    prisma.subscription.count({ where }),
  ]);
  return { subscriptions: await withPending(topic, rows), total };
}

export async function getSubscription(principal: Principal, ref: SubscriptionRef): Promise<Subscription> {
  const topic = await readableTopic(principal, ref.topicName);
  const subscription = await findSubscriptionOrThrow(topic, ref.subscriptionName);
  return (await withPending(topic, [subscription]))[0] as Subscription;
}

export async function updateSubscription(
  principal: Principal,
  { changes, ...ref }: SubscriptionRef & { changes: UpdateSubscriptionInput },
): Promise<Subscription> {
  const { topic, subscription } = await manageable(principal, ref, "subscription.update");
  checkFilters(topic, changes);
  if (subscription.protocol === "queue" && changes.notifyContentFormat === "JSON") {
    throw new AppError("QUEUE_SUBSCRIPTION_FORMAT", "A queue subscription's notifyContentFormat is SIMPLIFIED.");
  }
  if (filterTypeOf(topic.filterType) === "routing" && changes.bindingKeys?.length === 0) {
    throw new AppError("BINDING_KEY_MISSING", "A subscription of a routing topic needs at least one binding key.");
  }
  return saveChanges(principal, topic, subscription, changes, "subscription.update");
}

/** CMQ's ClearSubscriptionFilterTags: the subscription then receives every message of its tag topic. */
export async function clearSubscriptionFilterTags(principal: Principal, ref: SubscriptionRef): Promise<Subscription> {
  const { topic, subscription } = await manageable(principal, ref, "subscription.clearFilterTags");
  return saveChanges(principal, topic, subscription, { filterTags: [] }, "subscription.clearFilterTags");
}

export async function deleteSubscription(principal: Principal, ref: SubscriptionRef): Promise<void> {
  const { topic, subscription } = await manageable(principal, ref, "subscription.delete");
  await inChangeTransaction(async (tx) => {
    // Its pending pushes and their attempts go with it (ON DELETE CASCADE).
    const { count } = await tx.subscription.deleteMany({ where: { id: subscription.id } });
    if (count === 0) throw new AppError("SUBSCRIPTION_NOT_FOUND", `Subscription "${ref.subscriptionName}" is gone.`);
    await audit(
      principal,
      {
        action: "subscription.delete",
        resourceType: "subscription",
        resourceName: `${topic.name}/${subscription.name}`,
      },
      tx,
    );
  });
}

/** An HTTP subscription's push signature key (receivers verify the signature header with it). */
export async function getPushSecret(principal: Principal, ref: SubscriptionRef): Promise<{ secret: string }> {
  const { subscription } = await manageable(principal, ref, null);
  if (!subscription.pushSecretEncrypted) {
    throw new AppError("INVALID_INPUT", "Only HTTP subscriptions sign their pushes; this one delivers to a queue.");
  }
  return { secret: open(subscription.pushSecretEncrypted) };
}

async function readableTopic(principal: Principal, topicName: string): Promise<TopicModel> {
  authorize(principal, "topic:GetTopicAttributes");
  const topic = await findTopicOrThrow(principal, topicName);
  authorizeTopic(principal, "topic:GetTopicAttributes", topic.name);
  return topic;
}

/** The topic and subscription a caller with topic:Subscribe changes (a refusal audited when `action`). */
async function manageable(principal: Principal, ref: SubscriptionRef, action: string | null) {
  const target = { type: "subscription", name: `${ref.topicName}/${ref.subscriptionName}` } as const;
  if (action) await authorizeTopicChange(principal, "topic:Subscribe", ref.topicName, { ...target, action }, "role");
  else authorize(principal, "topic:Subscribe");
  const topic = await findTopicOrThrow(principal, ref.topicName);
  if (action) {
    await authorizeTopicChange(principal, "topic:Subscribe", topic.name, {
      ...target,
      name: `${topic.name}/${ref.subscriptionName}`,
      action,
    });
  } else authorizeTopic(principal, "topic:Subscribe", topic.name);
  const subscription = await findSubscriptionOrThrow(topic, ref.subscriptionName);
  return { topic, subscription };
}

async function saveChanges(
  principal: Principal,
  topic: TopicModel,
  subscription: SubscriptionModel,
  changes: UpdateSubscriptionInput,
  action: string,
): Promise<Subscription> {
  const updated = await inChangeTransaction(async (tx) => {
    const row = await tx.subscription.update({
      where: { id: subscription.id },
      data: { ...changes, updatedAt: new Date() },
    });
    await audit(
      principal,
      { action, resourceType: "subscription", resourceName: `${topic.name}/${subscription.name}`, details: changes },
      tx,
    );
    return row;
  });
  return (await withPending(topic, [updated]))[0] as Subscription;
}

/** Filter tags belong to tag topics, binding keys to routing topics (which need at least one). */
function checkFilters(topic: TopicModel, input: Pick<CreateSubscriptionInput, "filterTags" | "bindingKeys">) {
  const type = filterTypeOf(topic.filterType);
  if (type === "tag" && input.bindingKeys?.length) {
    throw new AppError(
      "INVALID_INPUT",
      `Topic "${topic.name}" filters by tags: give filterTags, not bindingKeys (the filter type is fixed at creation).`,
    );
  }
  if (type === "routing") {
    if (input.filterTags?.length) {
      throw new AppError(
        "INVALID_INPUT",
        `Topic "${topic.name}" routes by keys: give bindingKeys, not filterTags (the filter type is fixed at creation).`,
      );
    }
    for (const key of input.bindingKeys ?? []) {
      const problem = routingKeyProblem(key, "binding key");
      if (problem) throw new AppError("INVALID_INPUT", `Invalid binding key '${key}': ${problem}.`);
    }
  }
}

/** A routing topic's subscription receives by its binding keys: it needs one (CMQ 10710). */
function checkBindingKeyGiven(topic: TopicModel, bindingKeys: string[] | undefined) {
  if (filterTypeOf(topic.filterType) === "routing" && !bindingKeys?.length) {
    throw new AppError("BINDING_KEY_MISSING", "A subscription of a routing topic needs at least one binding key.");
  }
}

/** CMQ's endpoint rules: http:// or https://, no blanks, ≤ 500 characters, a URL with a host. */
function checkHttpEndpoint(endpoint: string) {
  if (/\s/.test(endpoint)) throw new AppError("ENDPOINT_HAS_BLANKS", "The endpoint URL must not contain blanks.");
  let url: URL | null = null;
  try {
    url = new URL(endpoint);
  } catch {
    url = null;
  }
  if (!url || !/^https?:$/.test(url.protocol) || !/^https?:\/\//i.test(endpoint) || url.hostname === "") {
    throw new AppError("ENDPOINT_INVALID", "An http subscription's endpoint is an http:// or https:// URL.");
  }
}

/**
 * The queue a queue subscription delivers to: one of the account's queues, exactly by name, that the
 * caller may see and send to (subscribing it lets every publisher of the topic send into it).
 */
async function findSubscribableQueue(principal: Principal, name: string) {
  const { rows } = await getPool().query<{ id: string; name: string }>(
    "SELECT id::text, name FROM queue WHERE account_id = $1 AND lower(name) = lower($2)",
    [principal.accountId, name],
  );
  const queue = rows[0];
  if (!queue || !canSeeQueue(principal.access, queue.name)) {
    throw new AppError("QUEUE_NOT_FOUND", `Queue "${name}" does not exist.`);
  }
  if (!can(principal.access, "queue:SendMessage", queue.name)) authorize(principal, "queue:SendMessage", queue.name);
  return { id: BigInt(queue.id), name: queue.name };
}

async function withPending(topic: TopicModel, rows: SubscriptionModel[]): Promise<Subscription[]> {
  const httpIds = rows.filter((s) => s.protocol === "http").map((s) => s.id.toString());
  const pending = new Map<string, number>();
  if (httpIds.length > 0) {
    const { rows: counted } = await getPool().query<{ id: string; n: number }>(
      `SELECT subscription_id::text AS id, count(*)::int AS n FROM push_delivery
       WHERE subscription_id = ANY($1::bigint[]) AND status = 'pending' GROUP BY subscription_id`,
      [httpIds],
    );
    for (const r of counted) pending.set(r.id, r.n);
  }
  return rows.map((s) => ({
    id: s.id.toString(),
    subscriptionId: s.subscriptionKey,
    name: s.name,
    topic: topic.name,
    protocol: s.protocol as Subscription["protocol"],
    endpoint: s.endpoint,
    endpointExists: s.protocol === "http" || s.queueId !== null,
    notifyStrategy: s.notifyStrategy as Subscription["notifyStrategy"],
    notifyContentFormat: s.notifyContentFormat as Subscription["notifyContentFormat"],
    filterTags: s.filterTags,
    bindingKeys: s.bindingKeys,
    pendingPushes: pending.get(s.id.toString()) ?? 0,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  }));
}
