import { randomUUID } from "node:crypto";
import { can, canSeeQueue, type Permission } from "@/lib/auth/permissions";
import type { Principal } from "@/lib/auth/principal";
import { AppError } from "@/lib/errors";
import { type MessageFilter, messageFilterSchema } from "@/lib/schemas/message-filter";
import {
  type MoveRequest,
  type Operation,
  type OperationAnswer,
  type OperationKind,
  operationLimits,
  type PurgeRequest,
  type RedriveRequest,
} from "@/lib/schemas/operation";
import {
  batchSizeOf,
  cancelOperationRow,
  countMatching,
  deleteMessageById,
  insertOperation,
  lockOperation,
  namedTargetOf,
  type OperationRow,
  type Sql,
  selectOperation,
  selectOperations,
  sqlOf,
} from "@/lib/store/operations";
import { audit, type Db, inChangeTransaction } from "./audit";
import { authorizeChange, authorizeQueue } from "./authorize";
import { runOneBatch, withClient } from "./operation-batches";
import { getQueueRecordOrThrow, type QueueRecord } from "./queue-lookup";

// Operator operations on a queue's messages: purge, redrive, move, copy; their list, progress and
// cancel; and deleting one message by id. Each operation is counted with the one filter predicate,
// then created with that count and its audit row in one transaction; the work is done in batches
// (lib/store/operations.ts) by the operations worker, or right here when it is small.

const txSql =
  (tx: Db): Sql =>
  <R>(text: string, values: unknown[]) =>
    tx.$queryRawUnsafe<R[]>(text, ...values);

const permissionOf = (kind: OperationKind): Permission => (kind === "purge" ? "message:purge" : "message:redrive");

/** POST /queues/{name}/purge: deletes the messages `filter` matches (default: all of them). */
export async function purgeMessages(
  principal: Principal,
  { queueName, filter, dryRun }: PurgeRequest & { queueName: string },
): Promise<OperationAnswer> {
  const queue = await authorizedQueue(principal, "message:purge", queueName, "queue.purge");
  return startOperation(principal, {
    kind: "purge",
    queue,
    filter: filter ?? messageFilterSchema.parse({}),
    target: null,
    ratePerSecond: null,
    dryRun,
  });
}

/**
 * POST /queues/{name}/redrive: dead messages (by default) back to the queue each died in, or to
 * `target`, at ratePerSecond. Messages kept for rewind cannot be redriven (they were consumed).
 */
export async function redriveMessages(
  principal: Principal,
  { queueName, filter, target, ratePerSecond, dryRun }: RedriveRequest & { queueName: string },
): Promise<OperationAnswer> {
  const queue = await authorizedQueue(principal, "message:redrive", queueName, "queue.redrive");
  const chosen = filter ?? messageFilterSchema.parse({ state: "dead" });
  refuseRewindable(chosen, "redriven");
  return startOperation(principal, {
    kind: "redrive",
    queue,
    filter: chosen,
    target: target ? await authorizedTarget(principal, queue, target, "queue.redrive") : null,
    ratePerSecond: ratePerSecond ?? operationLimits.redriveDefaultRate,
    dryRun,
  });
}

/** POST /queues/{name}/move: moves (or, with copy, copies) the messages `filter` matches to `target`. */
export async function moveMessages(
  principal: Principal,
  { queueName, filter, target, copy, dryRun }: MoveRequest & { queueName: string },
): Promise<OperationAnswer> {
  const kind = copy ? "copy" : "move";
  const queue = await authorizedQueue(principal, "message:redrive", queueName, `queue.${kind}`);
  refuseRewindable(filter, copy ? "copied" : "moved");
  return startOperation(principal, {
    kind,
    queue,
    filter,
    target: await authorizedTarget(principal, queue, target, `queue.${kind}`),
    ratePerSecond: null,
    dryRun,
  });
}

/** GET /queues/{name}/operations: the newest 50. */
export async function listOperations(principal: Principal, { queueName }: { queueName: string }) {
  const queue = await queueWithOperationsInView(principal, queueName);
  const rows = await withClient((client) => selectOperations(sqlOf(client), queue.id, 50));
  return { operations: rows.map(toOperation) };
}

/** GET /queues/{name}/operations/{id} */
export async function getOperation(principal: Principal, { queueName, id }: { queueName: string; id: string }) {
  const queue = await queueWithOperationsInView(principal, queueName);
  return toOperation(await operationOrThrow(queue, id));
}

/**
 * POST /queues/{name}/operations/{id}/cancel: stops the operation between batches (what committed
 * stays done). A finished operation is answered as it is.
 */
export async function cancelOperation(
  principal: Principal,
  { queueName, id }: { queueName: string; id: string },
): Promise<Operation> {
  const queue = await queueWithOperationsInView(principal, queueName);
  const existing = await operationOrThrow(queue, id);
  const action = "queue.operation.cancel";
  await authorizeChange(principal, permissionOf(existing.kind), { type: "queue", name: queue.name, action });
  const row = await inChangeTransaction(async (tx) => {
    const cancelled = await cancelOperationRow(txSql(tx), queue.id, id);
    if (!cancelled) throw operationNotFound(id);
    await audit(
      principal,
      {
        action,
        resourceType: "queue",
        resourceName: queue.name,
        details: {
          operationId: id,
          kind: cancelled.kind,
          status: cancelled.status,
          processed: Number(cancelled.processed),
        },
      },
      tx,
    );
    return cancelled;
  });
  return toOperation(row);
}

/** DELETE /queues/{name}/messages/{id}: an operator's delete of one message, live or kept for rewind. */
export async function deleteMessage(principal: Principal, { queueName, id }: { queueName: string; id: string }) {
  const queue = await authorizedQueue(principal, "message:purge", queueName, "message.delete");
  await inChangeTransaction(async (tx) => {
    const deleted = await deleteMessageById(txSql(tx), queue.id, id);
    if (!deleted) throw new AppError("MESSAGE_NOT_FOUND", `Queue "${queue.name}" holds no message ${id}.`);
    await audit(
      principal,
      { action: "message.delete", resourceType: "queue", resourceName: queue.name, details: { id, state: deleted } },
      tx,
    );
  });
}

type Start = {
  kind: OperationKind;
  queue: QueueRecord;
  filter: MessageFilter;
  target: QueueRecord | null;
  ratePerSecond: number | null;
  dryRun: boolean | undefined;
};

/**
 * Counts what the operation would act on; unless a dry run, creates it with that count and its audit
 * row in one transaction, then works through it here when it is small (200, status "done") or leaves
 * it to the operations worker (202, status "pending").
 */
async function startOperation(principal: Principal, start: Start): Promise<OperationAnswer> {
  const { kind, queue, filter, target, ratePerSecond } = start;
  if (start.dryRun) {
    const { count } = await withClient((client) => countMatching(sqlOf(client), queue.id, filter));
    return { count };
  }
  const created = await inChangeTransaction(async (tx) => {
    const sql = txSql(tx);
    const matched = await countMatching(sql, queue.id, filter);
    if (kind === "redrive" && !target) await authorizeOrigins(principal, sql, queue, matched.byOrigin);
    const row = await insertOperation(sql, {
      id: randomUUID(),
      accountId: principal.accountId,
      queueId: queue.id,
      kind,
      filter,
      // Purge: none; redrive to origins: the queue itself (see namedTargetOf).
      targetQueueId: target?.id ?? (kind === "redrive" ? queue.id : null),
      total: matched.count,
      ratePerSecond,
      maxMessageId: matched.maxMessageId,
      actorLabel: principal.label,
    });
    await audit(
      principal,
      {
        action: `queue.${kind}`,
        resourceType: "queue",
        resourceName: queue.name,
        details: { operationId: row.id, filter, target: target?.name ?? null, count: matched.count, ratePerSecond },
      },
      tx,
    );
    return row;
  });
  const isSmall = Number(created.total) <= Math.min(operationLimits.inlineMax, batchSizeOf(ratePerSecond));
  if (!isSmall) return { operation: toOperation(created) };
  return { operation: toOperation(await runInline(created)) };
}

/**
 * Works through a small operation inside the request. The first batch normally does it all; a few
 * more catch rows that were held at that moment (unless rate-limited: one batch, then the worker).
 * If the worker is running a batch of it, lockOperation waits for that batch to commit.
 */
async function runInline(op: OperationRow): Promise<OperationRow> {
  let current = op;
  const batches = op.rate_per_second === null ? 3 : 1;
  for (let i = 0; i < batches && (current.status === "pending" || current.status === "running"); i++) {
    current = (await withClient((client) => runOneBatch(client, (c) => lockOperation(c, op.id)))) ?? current;
  }
  return current;
}

/**
 * The source queue, authorized for `permission`; refusals are audited. A queue the caller cannot see
 * is "not found" before anything else, even for a caller whose role lacks `permission` altogether.
 */
async function authorizedQueue(
  principal: Principal,
  permission: Permission,
  queueName: string,
  action: string,
): Promise<QueueRecord> {
  if (!canSeeQueue(principal.access, queueName)) {
    throw new AppError("QUEUE_NOT_FOUND", `Queue "${queueName}" does not exist.`);
  }
  await authorizeChange(principal, permission, { type: "queue", name: queueName, action }, "role");
  const queue = await getQueueRecordOrThrow(principal.accountId, queueName);
  await authorizeChange(principal, permission, { type: "queue", name: queue.name, action });
  return queue;
}

/**
 * The queue whose operations the caller asks about: whoever may peek at its messages, purge them or
 * redrive them sees its operations (a key narrowed to message:purge can follow its own purge).
 */
async function queueWithOperationsInView(principal: Principal, queueName: string): Promise<QueueRecord> {
  const viewers: Permission[] = ["message:peek", "message:purge", "message:redrive"];
  const mayView = (name: string) => viewers.some((p) => can(principal.access, p, name));
  if (!canSeeQueue(principal.access, queueName)) {
    throw new AppError("QUEUE_NOT_FOUND", `Queue "${queueName}" does not exist.`);
  }
  const queue = await getQueueRecordOrThrow(principal.accountId, queueName);
  if (!canSeeQueue(principal.access, queue.name)) {
    throw new AppError("QUEUE_NOT_FOUND", `Queue "${queueName}" does not exist.`);
  }
  if (!mayView(queue.name)) authorizeQueue(principal, "message:peek", queue.name);
  return queue;
}

/** A target queue: it must exist and be visible (else QUEUE_NOT_FOUND), take sends from the caller, not be the source. */
async function authorizedTarget(
  principal: Principal,
  source: QueueRecord,
  targetName: string,
  action: string,
): Promise<QueueRecord> {
  if (!canSeeQueue(principal.access, targetName)) {
    throw new AppError("QUEUE_NOT_FOUND", `Queue "${targetName}" does not exist.`);
  }
  const target = await getQueueRecordOrThrow(principal.accountId, targetName);
  await authorizeChange(principal, "queue:SendMessage", { type: "queue", name: target.name, action });
  if (target.id === source.id) {
    throw new AppError("INVALID_INPUT", `The target must be another queue than "${source.name}".`);
  }
  return target;
}

/**
 * Redrive to origins sends into each queue the matching messages died in: the caller must be
 * allowed to send there. An origin that no longer exists is no refusal (its messages are skipped);
 * one the caller cannot see is not named.
 */
async function authorizeOrigins(
  principal: Principal,
  sql: Sql,
  queue: QueueRecord,
  byOrigin: { originId: string | null; count: number }[],
) {
  const ids = byOrigin.flatMap((o) => (o.originId ? [o.originId] : []));
  if (ids.length === 0) return;
  const origins = await sql<{ name: string }>(
    "SELECT name FROM queue WHERE account_id = $1::uuid AND id = ANY($2::bigint[]) AND id <> $3::bigint",
    [principal.accountId, ids, queue.id],
  );
  for (const { name } of origins) {
    if (!canSeeQueue(principal.access, name)) {
      throw new AppError(
        "FORBIDDEN",
        "Some of these messages died in queues you may not send to. Redrive them to a target you choose.",
      );
    }
    await authorizeChange(principal, "queue:SendMessage", { type: "queue", name, action: "queue.redrive" });
  }
}

function refuseRewindable(filter: MessageFilter, verb: string) {
  if (filter.state === "rewindable") {
    throw new AppError("INVALID_INPUT", `Messages kept for rewind cannot be ${verb}; rewind the queue instead.`, {
      issues: [{ path: "filter.state", message: `rewindable messages cannot be ${verb}` }],
    });
  }
}

async function operationOrThrow(queue: QueueRecord, id: string): Promise<OperationRow> {
  const row = await withClient((client) => selectOperation(sqlOf(client), queue.id, id));
  if (!row) throw operationNotFound(id);
  return row;
}

const operationNotFound = (id: string) => new AppError("OPERATION_NOT_FOUND", `Operation ${id} does not exist.`);

function toOperation(row: OperationRow): Operation {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status as Operation["status"],
    filter: row.filter,
    target: namedTargetOf(row) === null ? null : row.target_name,
    total: Number(row.total),
    processed: Number(row.processed),
    skipped: Number(row.skipped),
    ratePerSecond: row.rate_per_second,
    error: row.error,
    createdBy: row.actor_label,
    createdAt: new Date(row.created_at).toISOString(),
    startedAt: row.started_at ? new Date(row.started_at).toISOString() : null,
    finishedAt: row.finished_at ? new Date(row.finished_at).toISOString() : null,
  };
}
