import { can, canSeeTopic, type Permission } from "@/lib/auth/permissions";
import type { Principal } from "@/lib/auth/principal";
import { getPrisma } from "@/lib/db/prisma";
import { AppError } from "@/lib/errors";
import type { Subscription as SubscriptionModel, Topic as TopicModel } from "@/lib/generated/prisma/client";
import type { TopicFilterType } from "@/lib/schemas/topic";
import { audit } from "./audit";
import { authorize } from "./authorize";

// Finding and authorizing topics and subscriptions, shared by the topic, subscription and publish
// services. A topic's resource name in permissions and policies is its name (as a queue's is); its
// subscriptions are visible to whoever sees the topic. Lookups are exact (lower(name) = lower($1),
// never LIKE) and authorization is decided on the row found (DESIGN.md §4.8).

export const filterTypeOf = (code: number): TopicFilterType => (code === 2 ? "routing" : "tag");
export const filterTypeCode = (type: TopicFilterType): number => (type === "routing" ? 2 : 1);

export const topicNotFound = (name: string) => new AppError("TOPIC_NOT_FOUND", `Topic "${name}" does not exist.`);
export const subscriptionNotFound = (topic: string, name: string) =>
  new AppError("SUBSCRIPTION_NOT_FOUND", `Topic "${topic}" has no subscription "${name}".`);

/** Refuses what the caller may not do on this topic; a topic it may not see does not exist for it. */
export function authorizeTopic(principal: Principal, permission: Permission, topicName: string): void {
  if (!canSeeTopic(principal.access, topicName)) throw topicNotFound(topicName);
  if (!can(principal.access, permission, topicName)) authorize(principal, permission, topicName);
}

type ChangeTarget = { type: "topic" | "subscription"; name: string; action: string };

/**
 * authorizeTopic for a change: a refused attempt is audited as denied. `scope: "role"` asks only
 * whether the role (and key) allow the action on some topic, before the topic is looked up.
 */
export async function authorizeTopicChange(
  principal: Principal,
  permission: Permission,
  topicName: string,
  target: ChangeTarget,
  scope: "role" | "resource" = "resource",
): Promise<void> {
  try {
    if (scope === "role") authorize(principal, permission);
    else if (permission === "topic:CreateTopic") authorize(principal, permission, topicName);
    else authorizeTopic(principal, permission, topicName);
  } catch (error) {
    if (error instanceof AppError && error.code === "FORBIDDEN") {
      await audit(principal, {
        action: target.action,
        resourceType: target.type,
        resourceName: target.name,
        outcome: "denied",
      });
    }
    throw error;
  }
}

/** The account's topic with exactly this name, ignoring case. */
export async function findTopicOrThrow(principal: Principal, name: string): Promise<TopicModel> {
  const prisma = getPrisma();
  const [row] = await prisma.$queryRaw<{ id: bigint }[]>`
    SELECT id FROM topic WHERE account_id = ${principal.accountId}::uuid AND lower(name) = lower(${name})`;
  const topic = row ? await prisma.topic.findUnique({ where: { id: row.id } }) : null;
  if (!topic) throw topicNotFound(name);
  return topic;
}

/** The topic's subscription with exactly this name, ignoring case. */
export async function findSubscriptionOrThrow(topic: TopicModel, name: string): Promise<SubscriptionModel> {
  const prisma = getPrisma();
  const [row] = await prisma.$queryRaw<{ id: bigint }[]>`
    SELECT id FROM subscription WHERE topic_id = ${topic.id} AND lower(name) = lower(${name})`;
  const subscription = row ? await prisma.subscription.findUnique({ where: { id: row.id } }) : null;
  if (!subscription) throw subscriptionNotFound(topic.name, name);
  return subscription;
}
