import { randomBytes } from "node:crypto";
import { canSeeTopic } from "@/lib/auth/permissions";
import type { Principal } from "@/lib/auth/principal";
import { escapeLike } from "@/lib/db/like";
import { getPool } from "@/lib/db/pool";
import { getPrisma } from "@/lib/db/prisma";
import { isUniqueViolation } from "@/lib/db/unique-violation";
import { AppError } from "@/lib/errors";
import type { Topic as TopicModel } from "@/lib/generated/prisma/client";
import {
  type CreateTopicInput,
  type ListTopicsQuery,
  type Topic,
  type TopicList,
  topicLimits,
  type UpdateTopicInput,
} from "@/lib/schemas/topic";
import { audit, inChangeTransaction } from "./audit";
import { authorize } from "./authorize";
import {
  authorizeTopic,
  authorizeTopicChange,
  filterTypeCode,
  filterTypeOf,
  findTopicOrThrow,
  topicNotFound,
} from "./topic-lookup";

// Topics (reference/cmq-api.md §4): create, list, read, change, delete. The filter type is fixed at
// creation; a topic with subscriptions cannot be deleted (CMQ 10540; the foreign key says so too).

/** CMQ's ids are a prefix and random lowercase letters and digits ("topic-ajksdfasdowe"). */
export function randomKey(prefix: string, length = 12): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  const bytes = randomBytes(length);
  let key = `${prefix}-`;
  // 256 % 36 = 4: a bias of < 2% on four characters, harmless for an identifier that is not a secret.
  for (const b of bytes) key += alphabet[b % alphabet.length];
  return key;
}

export async function createTopic(principal: Principal, input: CreateTopicInput): Promise<Topic> {
  await authorizeTopicChange(principal, "topic:CreateTopic", input.name, {
    type: "topic",
    name: input.name,
    action: "topic.create",
  });
  const attributes = {
    filterType: filterTypeCode(input.filterType),
    maxMsgSize: input.maxMsgSize ?? topicLimits.maxMsgSize.default,
    msgRetentionSeconds: topicLimits.msgRetentionSeconds,
  };
  try {
    const topic = await inChangeTransaction(async (tx) => {
      // As for queues: the account row's lock serialises this account's creates, so concurrent
      // ones cannot all pass the count (NO KEY UPDATE leaves rows referencing the account unblocked).
      await tx.$queryRaw`SELECT 1 FROM account WHERE id = ${principal.accountId}::uuid FOR NO KEY UPDATE`;
      const count = await tx.topic.count({ where: { accountId: principal.accountId } });
      if (count >= topicLimits.topicsPerAccount) {
        throw new AppError(
          "TOPIC_LIMIT_EXCEEDED",
          `An account can have at most ${topicLimits.topicsPerAccount} topics.`,
        );
      }
      const created = await tx.topic.create({
        data: { accountId: principal.accountId, name: input.name, topicKey: randomKey("topic"), ...attributes },
      });
      await audit(
        principal,
        {
          action: "topic.create",
          resourceType: "topic",
          resourceName: created.name,
          details: { filterType: input.filterType, maxMsgSize: attributes.maxMsgSize },
        },
        tx,
      );
      return created;
    });
    return (await withCounts([topic]))[0] as Topic;
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("TOPIC_EXISTS", `A topic named "${input.name}" already exists (names ignore case).`);
    }
    throw error;
  }
}

/** The caller's visible topics, newest first. */
export async function listTopics(principal: Principal, query: ListTopicsQuery): Promise<TopicList> {
  authorize(principal, "topic:ListTopic");
  const prisma = getPrisma();
  const where = {
    accountId: principal.accountId,
    ...(query.search ? { name: { contains: escapeLike(query.search), mode: "insensitive" as const } } : {}),
  };
  const orderBy = [{ createdAt: "desc" as const }, { id: "desc" as const }];
  if (principal.access.role === "owner" || principal.access.statements.length === 0) {
    const [topics, total] = await Promise.all([
      prisma.topic.findMany({ where, orderBy, skip: query.offset, take: query.limit }),
      prisma.topic.count({ where }),
    ]);
    return { topics: await withCounts(topics), total };
  }
  // Policies decide visibility by name: filter the account's names (≤ 1000 topics), then page.
  const names = await prisma.topic.findMany({ where, orderBy, select: { id: true, name: true } });
  const visible = names.filter((t) => canSeeTopic(principal.access, t.name));
  const pageIds = visible.slice(query.offset, query.offset + query.limit).map((t) => t.id);
  const rows = await prisma.topic.findMany({ where: { id: { in: pageIds } } });
  const byId = new Map(rows.map((t) => [t.id, t]));
  return { topics: await withCounts(pageIds.flatMap((id) => byId.get(id) ?? [])), total: visible.length };
}

export async function getTopic(principal: Principal, name: string): Promise<Topic> {
  authorize(principal, "topic:GetTopicAttributes");
  const topic = await findTopicOrThrow(principal, name);
  authorizeTopic(principal, "topic:GetTopicAttributes", topic.name);
  return (await withCounts([topic]))[0] as Topic;
}

export async function updateTopic(
  principal: Principal,
  { topicName, changes }: { topicName: string; changes: UpdateTopicInput },
): Promise<Topic> {
  const target = { type: "topic", name: topicName, action: "topic.update" } as const;
  await authorizeTopicChange(principal, "topic:SetTopicAttributes", topicName, target, "role");
  const existing = await findTopicOrThrow(principal, topicName);
  await authorizeTopicChange(principal, "topic:SetTopicAttributes", existing.name, { ...target, name: existing.name });
  const topic = await inChangeTransaction(async (tx) => {
    const updated = await tx.topic.update({ where: { id: existing.id }, data: { ...changes, updatedAt: new Date() } });
    await audit(
      principal,
      { action: "topic.update", resourceType: "topic", resourceName: existing.name, details: changes },
      tx,
    );
    return updated;
  });
  return (await withCounts([topic]))[0] as Topic;
}

/** Deletes a topic without subscriptions, and by cascade its retained messages. */
export async function deleteTopic(principal: Principal, name: string): Promise<void> {
  const target = { type: "topic", name, action: "topic.delete" } as const;
  await authorizeTopicChange(principal, "topic:DeleteTopic", name, target, "role");
  const existing = await findTopicOrThrow(principal, name);
  await authorizeTopicChange(principal, "topic:DeleteTopic", existing.name, { ...target, name: existing.name });
  await inChangeTransaction(async (tx) => {
    // The topic row's lock keeps a Subscribe from slipping in between the check and the delete (a
    // Subscribe locks it too, FOR KEY SHARE through its foreign key); the foreign key would refuse
    // anyway, but with a database error instead of CMQ's code.
    const locked = await tx.$queryRaw<{ id: bigint }[]>`SELECT id FROM topic WHERE id = ${existing.id} FOR UPDATE`;
    if (locked.length === 0) throw topicNotFound(name);
    const subscriptions = await tx.subscription.count({ where: { topicId: existing.id } });
    if (subscriptions > 0) {
      throw new AppError(
        "TOPIC_HAS_SUBSCRIPTIONS",
        `Topic "${existing.name}" has ${subscriptions} subscription(s); unsubscribe them first.`,
      );
    }
    await tx.topic.delete({ where: { id: existing.id } });
    await audit(principal, { action: "topic.delete", resourceType: "topic", resourceName: existing.name }, tx);
  });
}

export async function withCounts(topics: TopicModel[]): Promise<Topic[]> {
  const ids = topics.map((t) => t.id.toString());
  const counts = new Map<string, { subscriptions: number; pending: number }>();
  if (ids.length > 0) {
    // Subscriptions per topic (≤ 100 each) and pushes not yet delivered or dropped (by the push
    // worker's partial index on pending rows).
    const { rows } = await getPool().query<{ topic_id: string; subscriptions: number; pending: number }>(
      `SELECT t.id::text AS topic_id,
              (SELECT count(*)::int FROM subscription s WHERE s.topic_id = t.id) AS subscriptions,
              (SELECT count(*)::int FROM push_delivery d JOIN subscription s ON s.id = d.subscription_id
                WHERE s.topic_id = t.id AND d.status = 'pending') AS pending
       FROM topic t WHERE t.id = ANY($1::bigint[])`,
      [ids],
    );
    for (const r of rows) counts.set(r.topic_id, { subscriptions: r.subscriptions, pending: r.pending });
  }
  return topics.map((t) => ({
    id: t.id.toString(),
    topicId: t.topicKey,
    name: t.name,
    filterType: filterTypeOf(t.filterType),
    maxMsgSize: t.maxMsgSize,
    msgRetentionSeconds: t.msgRetentionSeconds,
    subscriptionCount: counts.get(t.id.toString())?.subscriptions ?? 0,
    pendingPushes: counts.get(t.id.toString())?.pending ?? 0,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
  }));
}
