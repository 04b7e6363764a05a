import { canSeeQueue } from "@/lib/auth/permissions";
import type { Principal } from "@/lib/auth/principal";
import { settings } from "@/lib/config";
import { getPrisma } from "@/lib/db/prisma";
import { AppError } from "@/lib/errors";
import {
  type DeadLetter,
  type DeadLetterInput,
  type DeadLetterSources,
  deadLetterLimits,
  deadLetterPolicies,
  type ListDeadLetterSourcesQuery,
} from "@/lib/schemas/queue";
import type { Db } from "./audit";
import { authorizeQueue } from "./authorize";

// Dead-letter queues (issue 10): binding a queue to its DLQ with CMQ's rules, and the DLQ's sources.
// Moving the messages themselves is the receive path's work (lib/store/dead-letters.ts) and the
// time-to-live sweep's (lib/workers/dead-letter-ttl.ts).

/** The queue row's dead-letter columns: all set, or all null (the table's CHECK says the same). */
export type DeadLetterColumns = {
  deadLetterQueueId: bigint | null;
  deadLetterPolicy: number | null;
  maxReceiveCount: number | null;
  maxTimeToLive: number | null;
};

export const unboundColumns: DeadLetterColumns = {
  deadLetterQueueId: null,
  deadLetterPolicy: null,
  maxReceiveCount: null,
  maxTimeToLive: null,
};

const deadLetterQueueNotFound = (name: string) =>
  Object.assign(new AppError("QUEUE_NOT_FOUND", `Dead-letter queue "${name}" does not exist.`), {
    cmqAs: "DEAD_LETTER_QUEUE_NOT_FOUND" as const,
  });

const invalidPolicy = (message: string) =>
  Object.assign(new AppError("INVALID_INPUT", message), { cmqAs: "DEAD_LETTER_POLICY_INVALID" as const });

/** maxTimeToLive must stay below the source's retention, or messages would expire before they could die. */
export function checkTimeToLiveWithinRetention(maxTimeToLive: number | null, msgRetentionSeconds: number): void {
  if (maxTimeToLive !== null && maxTimeToLive >= msgRetentionSeconds) {
    throw invalidPolicy(
      `deadLetter.maxTimeToLive (${maxTimeToLive}) must be less than msgRetentionSeconds (${msgRetentionSeconds}).`,
    );
  }
}

/**
 * Checks a binding of `source` (null: a queue being created, which nobody can reference yet) to the
 * DLQ named in `deadLetter`, inside the change's transaction, and returns the columns to store.
 *
 * Races: the rows involved (source and DLQ) are locked FOR NO KEY UPDATE in id order before anything
 * is counted, so two binds that share a queue run one after the other, and the second counts what the
 * first committed (READ COMMITTED: each statement after the lock sees it). Every chain A→B→C needs two
 * binds that both lock B; every 7th source needs a bind that locks the DLQ. NO KEY UPDATE leaves sends
 * (whose foreign key takes KEY SHARE on the queue row) unblocked; a queue delete (FOR UPDATE) waits.
 */
export async function bindDeadLetter(
  tx: Db,
  principal: Principal,
  options: {
    source: { id: bigint; name: string } | null;
    sourceName: string;
    deadLetter: DeadLetterInput;
    msgRetentionSeconds: number;
  },
): Promise<DeadLetterColumns> {
  const { deadLetter } = options;
  if (deadLetter.queue.toLowerCase() === options.sourceName.toLowerCase()) {
    throw invalidPolicy(`Queue "${options.sourceName}" cannot be its own dead-letter queue.`);
  }
  // Only the field the policy counts by is kept: what is stored (and answered) is what applies.
  const columns: DeadLetterColumns = {
    deadLetterQueueId: null,
    deadLetterPolicy: deadLetterPolicies.indexOf(deadLetter.policy),
    maxReceiveCount: deadLetter.policy === "maxReceiveCount" ? (deadLetter.maxReceiveCount ?? null) : null,
    maxTimeToLive: deadLetter.policy === "maxTimeToLive" ? (deadLetter.maxTimeToLive ?? null) : null,
  };
  checkTimeToLiveWithinRetention(columns.maxTimeToLive, options.msgRetentionSeconds);
  // What the caller may not see does not exist for it (DESIGN.md §4.5), decided on the row found.
  const [dlq] = await tx.$queryRaw<{ id: bigint; name: string }[]>`
    SELECT id, name FROM queue WHERE account_id = ${principal.accountId}::uuid AND lower(name) = lower(${deadLetter.queue})`;
  if (!dlq || !canSeeQueue(principal.access, dlq.name)) throw deadLetterQueueNotFound(deadLetter.queue);

  const ids = options.source ? [options.source.id, dlq.id] : [dlq.id];
  // Two queues' rows: wait for them at most the installation's lock timeout (a DeleteQueue of one
  // holding it long), then fail whole (55P03, answered UNAVAILABLE; the transaction rolls back).
  await tx.$queryRaw`SELECT set_config('lock_timeout', ${`${settings().lockTimeoutMs}ms`}, true)`;
  const locked = await tx.$queryRaw<{ id: bigint; dead_letter_queue_id: bigint | null }[]>`
    SELECT id, dead_letter_queue_id FROM queue WHERE id = ANY(${ids}::bigint[]) ORDER BY id FOR NO KEY UPDATE`;
  const lockedDlq = locked.find((q) => q.id === dlq.id);
  if (!lockedDlq) throw deadLetterQueueNotFound(deadLetter.queue);
  if (lockedDlq.dead_letter_queue_id !== null) {
    throw new AppError(
      "DEAD_LETTER_NESTED",
      `Queue "${dlq.name}" has a dead-letter queue itself; a dead-letter queue cannot have one.`,
    );
  }
  if (options.source) {
    const [bound] = await tx.$queryRaw<{ name: string }[]>`
      SELECT name FROM queue WHERE dead_letter_queue_id = ${options.source.id} ORDER BY id LIMIT 1`;
    if (bound) {
      throw new AppError(
        "DEAD_LETTER_NESTED",
        `Queue "${options.source.name}" is the dead-letter queue of "${bound.name}"; a dead-letter queue cannot have one.`,
      );
    }
  }
  const [{ sources } = { sources: 0 }] = await tx.$queryRaw<{ sources: number }[]>`
    SELECT count(*)::int AS sources FROM queue
    WHERE dead_letter_queue_id = ${dlq.id} AND id <> ${options.source?.id ?? -1n}`;
  if (sources >= deadLetterLimits.maxSources) {
    throw new AppError(
      "DEAD_LETTER_SOURCES_EXCEEDED",
      `Queue "${dlq.name}" is already the dead-letter queue of ${sources} queues; the limit is ${deadLetterLimits.maxSources}.`,
    );
  }
  return { ...columns, deadLetterQueueId: dlq.id };
}

/**
 * Refuses to delete a queue some queue uses as its dead-letter queue. Locks the row FOR UPDATE first,
 * so a bind running now either committed before (and is seen here) or waits and then finds no queue.
 */
export async function checkNotBoundAsDeadLetter(tx: Db, queue: { id: bigint; name: string }): Promise<void> {
  await tx.$queryRaw`SELECT 1 FROM queue WHERE id = ${queue.id} FOR UPDATE`;
  const sources = await tx.$queryRaw<{ name: string }[]>`
    SELECT name FROM queue WHERE dead_letter_queue_id = ${queue.id} ORDER BY name LIMIT ${deadLetterLimits.maxSources}`;
  if (sources.length > 0) {
    throw new AppError(
      "DEAD_LETTER_IN_USE",
      `Queue "${queue.name}" is the dead-letter queue of ${sources.map((s) => `"${s.name}"`).join(", ")}; unbind it there first.`,
    );
  }
}

/** The Queue response's deadLetter, given the names of the DLQs by id. */
export function deadLetterOf(queue: DeadLetterColumns, namesById: ReadonlyMap<string, string>): DeadLetter | null {
  if (queue.deadLetterQueueId === null || queue.deadLetterPolicy === null) return null;
  return {
    queue: namesById.get(queue.deadLetterQueueId.toString()) ?? "",
    queueId: queue.deadLetterQueueId.toString(),
    policy: deadLetterPolicies[queue.deadLetterPolicy] ?? "maxReceiveCount",
    maxReceiveCount: queue.maxReceiveCount,
    maxTimeToLive: queue.maxTimeToLive,
  };
}

/** Names of the dead-letter queues these queues are bound to, by id (one query, none when unbound). */
export async function deadLetterQueueNames(queues: DeadLetterColumns[]): Promise<Map<string, string>> {
  const ids = [...new Set(queues.flatMap((q) => (q.deadLetterQueueId === null ? [] : [q.deadLetterQueueId])))];
  if (ids.length === 0) return new Map();
  const rows = await getPrisma().queue.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } });
  return new Map(rows.map((q) => [q.id.toString(), q.name]));
}

/**
 * The queues that use `queueName` as their dead-letter queue (CMQ's ListDeadLetterSourceQueues).
 * Needs queue:GetQueueAttributes on the DLQ; lists only the sources the caller may see.
 */
export async function listDeadLetterSources(
  principal: Principal,
  { queueName, ...query }: ListDeadLetterSourcesQuery & { queueName: string },
): Promise<DeadLetterSources> {
  authorizeQueue(principal, "queue:GetQueueAttributes", queueName);
  const prisma = getPrisma();
  const [dlq] = await prisma.$queryRaw<{ id: bigint; name: string }[]>`
    SELECT id, name FROM queue WHERE account_id = ${principal.accountId}::uuid AND lower(name) = lower(${queueName})`;
  if (!dlq) throw new AppError("QUEUE_NOT_FOUND", `Queue "${queueName}" does not exist.`);
  authorizeQueue(principal, "queue:GetQueueAttributes", dlq.name);
  // At most deadLetterLimits.maxSources rows: filtered and paged here.
  const sources = await prisma.queue.findMany({
    where: { deadLetterQueueId: dlq.id },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { id: true, name: true },
  });
  const search = query.search?.toLowerCase();
  const visible = sources.filter(
    (q) => canSeeQueue(principal.access, q.name) && (!search || q.name.toLowerCase().includes(search)),
  );
  return {
    queues: visible.slice(query.offset, query.offset + query.limit).map((q) => ({ id: q.id.toString(), name: q.name })),
    total: visible.length,
  };
}
