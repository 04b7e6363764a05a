import { canSeeQueue } from "@/lib/auth/permissions";
import type { Principal } from "@/lib/auth/principal";
import { escapeLike } from "@/lib/db/like";
import { getPrisma } from "@/lib/db/prisma";
import { isUniqueViolation } from "@/lib/db/unique-violation";
import { AppError } from "@/lib/errors";
import {
  type CreateQueueInput,
  type ListQueuesQuery,
  maxQueuesPerAccount,
  type Queue,
  type QueueList,
  queueLimits,
  type UpdateQueueInput,
} from "@/lib/schemas/queue";
import { audit, inChangeTransaction } from "./audit";
import { authorize, authorizeChange, authorizeQueue } from "./authorize";
import {
  bindDeadLetter,
  checkNotBoundAsDeadLetter,
  checkTimeToLiveWithinRetention,
  unboundColumns,
} from "./dead-letters";
import { compareQueues, type QueueWithStats, selectQueueSortValues, withCounts } from "./queue-counts";
import { forgetQueueRecord } from "./queue-lookup";

export { exactCountCap } from "./queue-counts";

export async function createQueue(principal: Principal, input: CreateQueueInput): Promise<Queue> {
  await authorizeChange(principal, "queue:CreateQueue", { type: "queue", name: input.name, action: "queue.create" });
  const attributes = withDefaults(input);
  checkRewindWithinRetention(attributes.rewindSeconds, attributes.msgRetentionSeconds);
  try {
    const queue = await inChangeTransaction(async (tx) => {
      // The limit is check-then-insert: the account row's lock serialises this account's creates so
      // concurrent ones cannot all pass the count. NO KEY UPDATE leaves inserts that reference the
      // account (audit rows, keys) unblocked.
      await tx.$queryRaw`SELECT 1 FROM account WHERE id = ${principal.accountId}::uuid FOR NO KEY UPDATE`;
      const count = await tx.queue.count({ where: { accountId: principal.accountId } });
      if (count >= maxQueuesPerAccount) {
        throw new AppError("QUEUE_LIMIT_EXCEEDED", `An account can have at most ${maxQueuesPerAccount} queues.`);
      }
      const deadLetter = input.deadLetter
        ? await bindDeadLetter(tx, principal, {
            source: null,
            sourceName: input.name,
            deadLetter: input.deadLetter,
            msgRetentionSeconds: attributes.msgRetentionSeconds,
          })
        : unboundColumns;
      const created = await tx.queue.create({
        data: {
          accountId: principal.accountId,
          name: input.name,
          ...attributes,
          ...deadLetter,
          maxMsgHeapNum: BigInt(attributes.maxMsgHeapNum),
        },
        include: { stats: true },
      });
      await audit(
        principal,
        {
          action: "queue.create",
          resourceType: "queue",
          resourceName: created.name,
          details: { ...attributes, ...(input.deadLetter ? { deadLetter: input.deadLetter } : {}) },
        },
        tx,
      );
      return created;
    });
    forgetQueueRecord(principal.accountId, input.name);
    return (await withCounts([queue]))[0] as Queue;
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("QUEUE_EXISTS", `A queue named "${input.name}" already exists (names ignore case).`);
    }
    throw error;
  }
}

/**
 * The caller's visible queues, newest first unless `sort` says otherwise. Lists only what the caller
 * may see. Sorting by backlog, oldest age or rates ranks all of the account's (≤ 1,000) queues by
 * the counts and counters kept without scanning, then counts only the page.
 */
export async function listQueues(principal: Principal, query: ListQueuesQuery): Promise<QueueList> {
  authorize(principal, "queue:ListQueue");
  const prisma = getPrisma();
  const sort = query.sort ?? "createdAt";
  const order = query.order ?? (sort === "name" ? "asc" : "desc");
  const isOpen = principal.access.role === "owner" || principal.access.statements.length === 0;
  if (sort === "createdAt" && isOpen) {
    // Without policy statements visibility is the same for every queue (and listing is allowed).
    const where = {
      accountId: principal.accountId,
      ...(query.search ? { name: { contains: escapeLike(query.search), mode: "insensitive" as const } } : {}),
    };
    const orderBy = [{ createdAt: order }, { id: order }];
    const [queues, total] = await Promise.all([
      prisma.queue.findMany({ where, orderBy, skip: query.offset, take: query.limit, include: { stats: true } }),
      prisma.queue.count({ where }),
    ]);
    return { queues: await withCounts(queues), total };
  }
  // Rank the account's queues (at most maxQueuesPerAccount; policies decide visibility by name), then page.
  const ranked = (await selectQueueSortValues(principal.accountId, query.search ? escapeLike(query.search) : null))
    .filter((q) => isOpen || canSeeQueue(principal.access, q.name))
    .sort(compareQueues(sort, order));
  const pageIds = ranked.slice(query.offset, query.offset + query.limit).map((q) => BigInt(q.id));
  const rows = await prisma.queue.findMany({ where: { id: { in: pageIds } }, include: { stats: true } });
  const byId = new Map(rows.map((q) => [q.id, q]));
  const page = pageIds.flatMap((id) => byId.get(id) ?? []);
  return { queues: await withCounts(page), total: ranked.length };
}

/**
 * CMQ ListQueue: names and ids only, newest first — it never counts a message. Lists only what the
 * caller may see.
 */
export async function listQueueNames(
  principal: Principal,
  query: Pick<ListQueuesQuery, "search" | "offset" | "limit">,
): Promise<{ queues: { id: string; name: string }[]; total: number }> {
  authorize(principal, "queue:ListQueue");
  const where = {
    accountId: principal.accountId,
    ...(query.search ? { name: { contains: escapeLike(query.search), mode: "insensitive" as const } } : {}),
  };
  const names = await getPrisma().queue.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { id: true, name: true },
  });
  const visible = names.filter((q) => canSeeQueue(principal.access, q.name));
  return {
    queues: visible.slice(query.offset, query.offset + query.limit).map((q) => ({ id: q.id.toString(), name: q.name })),
    total: visible.length,
  };
}

export async function getQueue(principal: Principal, name: string): Promise<Queue> {
  authorize(principal, "queue:GetQueueAttributes");
  const queue = await findQueueOrThrow(principal, name);
  authorizeQueue(principal, "queue:GetQueueAttributes", queue.name);
  return (await withCounts([queue]))[0] as Queue;
}

export async function updateQueue(
  principal: Principal,
  { queueName: name, changes: input }: { queueName: string; changes: UpdateQueueInput },
): Promise<Queue> {
  const target = { type: "queue", name, action: "queue.update" } as const;
  await authorizeChange(principal, "queue:SetQueueAttributes", target, "role");
  const existing = await findQueueOrThrow(principal, name);
  await authorizeChange(principal, "queue:SetQueueAttributes", { ...target, name: existing.name });
  const { deadLetter: deadLetterInput, ...changes } = input;
  const msgRetentionSeconds = changes.msgRetentionSeconds ?? existing.msgRetentionSeconds;
  checkRewindWithinRetention(changes.rewindSeconds ?? existing.rewindSeconds, msgRetentionSeconds);
  if (deadLetterInput === undefined) checkTimeToLiveWithinRetention(existing.maxTimeToLive, msgRetentionSeconds);
  const queue = await inChangeTransaction(async (tx) => {
    // deadLetter: undefined keeps the binding, null unbinds, an object (re)binds.
    const deadLetter =
      deadLetterInput === undefined
        ? {}
        : deadLetterInput === null
          ? unboundColumns
          : await bindDeadLetter(tx, principal, {
              source: existing,
              sourceName: existing.name,
              deadLetter: deadLetterInput,
              msgRetentionSeconds,
            });
    const updated = await tx.queue.update({
      where: { id: existing.id },
      data: {
        ...changes,
        ...deadLetter,
        ...(changes.maxMsgHeapNum !== undefined ? { maxMsgHeapNum: BigInt(changes.maxMsgHeapNum) } : {}),
        updatedAt: new Date(),
      },
      include: { stats: true },
    });
    await audit(
      principal,
      {
        action: "queue.update",
        resourceType: "queue",
        resourceName: existing.name,
        details: deadLetterInput === undefined ? changes : { ...changes, deadLetter: deadLetterInput },
      },
      tx,
    );
    return updated;
  });
  forgetQueueRecord(principal.accountId, existing.name);
  return (await withCounts([queue]))[0] as Queue;
}

/** Deletes the queue and, by cascade, its messages. */
export async function deleteQueue(principal: Principal, name: string): Promise<void> {
  const target = { type: "queue", name, action: "queue.delete" } as const;
  await authorizeChange(principal, "queue:DeleteQueue", target, "role");
  const existing = await findQueueOrThrow(principal, name);
  await authorizeChange(principal, "queue:DeleteQueue", { ...target, name: existing.name });
  await inChangeTransaction(async (tx) => {
    await checkNotBoundAsDeadLetter(tx, existing);
    const { count } = await tx.queue.deleteMany({ where: { id: existing.id } });
    if (count === 0) throw new AppError("QUEUE_NOT_FOUND", `Queue "${name}" does not exist.`);
    await audit(principal, { action: "queue.delete", resourceType: "queue", resourceName: existing.name }, tx);
  });
  forgetQueueRecord(principal.accountId, existing.name);
}

/**
 * The queue with exactly this name, ignoring case — the same rule as the unique index and the
 * message paths (queue-lookup.ts). Never LIKE/ILIKE: `_`, `%` and `\` are characters, not patterns.
 */
async function findQueueOrThrow(principal: Principal, name: string): Promise<QueueWithStats> {
  const prisma = getPrisma();
  const [row] = await prisma.$queryRaw<{ id: bigint }[]>`
    SELECT id FROM queue WHERE account_id = ${principal.accountId}::uuid AND lower(name) = lower(${name})`;
  const queue = row ? await prisma.queue.findUnique({ where: { id: row.id }, include: { stats: true } }) : null;
  if (!queue) throw new AppError("QUEUE_NOT_FOUND", `Queue "${name}" does not exist.`);
  return queue;
}

function withDefaults(input: CreateQueueInput) {
  return {
    visibilityTimeout: input.visibilityTimeout ?? queueLimits.visibilityTimeout.default,
    pollingWaitSeconds: input.pollingWaitSeconds ?? queueLimits.pollingWaitSeconds.default,
    maxMsgSize: input.maxMsgSize ?? queueLimits.maxMsgSize.default,
    msgRetentionSeconds: input.msgRetentionSeconds ?? queueLimits.msgRetentionSeconds.default,
    maxMsgHeapNum: input.maxMsgHeapNum ?? queueLimits.maxMsgHeapNum.default,
    rewindSeconds: input.rewindSeconds ?? queueLimits.rewindSeconds.default,
  };
}

function checkRewindWithinRetention(rewindSeconds: number, msgRetentionSeconds: number) {
  if (rewindSeconds > msgRetentionSeconds) {
    // CMQ has its own code for this one: 4000 (10700).
    throw Object.assign(
      new AppError(
        "INVALID_INPUT",
        `rewindSeconds (${rewindSeconds}) must not exceed msgRetentionSeconds (${msgRetentionSeconds}).`,
      ),
      { cmqAs: "REWIND_EXCEEDS_RETENTION" as const },
    );
  }
}
