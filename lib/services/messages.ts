import { canSeeQueue } from "@/lib/auth/permissions";
import type { Principal } from "@/lib/auth/principal";
import { AppError } from "@/lib/errors";
import { countMetric } from "@/lib/metrics/record";
import {
  type DeleteResult,
  maxBatch,
  maxBatchBytes,
  type ReceivedMessage,
  type ReceiveMessagesInput,
  type SendMessageInput,
} from "@/lib/schemas/message";
import {
  bodyPreviewChars,
  filterOfPeekQuery,
  type PeekedMessage,
  type PeekPage,
  type PeekQuery,
  type StateTotals,
} from "@/lib/schemas/peek";
import { deleteLeasedCoalesced, insertMessagesCoalesced } from "@/lib/store/coalesced-messages";
import { type DeadLetterPolicy, leaseMessagesWithDeadLetter } from "@/lib/store/dead-letters";
import {
  countQueueStates,
  type PeekRow,
  selectMessageById,
  selectMessagesForPeek,
  selectQueueNames,
  selectSweptStates,
} from "@/lib/store/inspect";
import { type LeaseResult, leaseMessages, type MessageRow } from "@/lib/store/messages";
import { authorizeQueue } from "./authorize";
import { announceDelayed, announceSend } from "./cross-process-wake";
import { scheduleWake, sendCounter, waiterCount, waitForMessages, wakeReceivers } from "./long-poll";
import { forgetQueueRecord, getQueueRecordOrThrow, type QueueRecord } from "./queue-lookup";
import { exactCountCap } from "./queues";
import { formatReceiptHandle, parseReceiptHandle } from "./receipt-handle";

const utf8Length = (s: string) => Buffer.byteLength(s, "utf8");

/**
 * Sends 1–16 messages in one statement (shared with concurrent sends: lib/store/coalesced-messages.ts);
 * returns their ids in input order once they are committed.
 */
export async function sendMessages(
  principal: Principal,
  { queueName, messages }: { queueName: string; messages: SendMessageInput[] },
): Promise<{ id: string }[]> {
  if (messages.length < 1 || messages.length > maxBatch) {
    throw new AppError("BATCH_SIZE_INVALID", `Send 1 to ${maxBatch} messages per request.`);
  }
  authorizeQueue(principal, "queue:SendMessage", queueName);
  const queue = await getQueueRecordOrThrow(principal.accountId, queueName);
  let total = 0;
  messages.forEach((m, i) => {
    const size = utf8Length(m.body);
    if (size === 0) throw new AppError("MESSAGE_BODY_EMPTY", `Message ${i + 1} has an empty body.`);
    if (size > queue.maxMsgSize) {
      throw new AppError(
        "MESSAGE_TOO_LARGE",
        `Message ${i + 1} is ${size} bytes; queue "${queue.name}" accepts at most ${queue.maxMsgSize} (maxMsgSize).`,
      );
    }
    total += size;
  });
  if (total > maxBatchBytes) {
    throw new AppError(
      "BATCH_TOO_LARGE",
      `The messages total ${total} bytes; one request carries at most ${maxBatchBytes}.`,
    );
  }
  if (queue.sweptTotal !== null && queue.sweptTotal + messages.length > queue.maxMsgHeapNum) {
    throw new AppError(
      "QUEUE_FULL",
      `Queue "${queue.name}" holds ${queue.sweptTotal} messages, its limit (maxMsgHeapNum) is ${queue.maxMsgHeapNum}. Consume messages or raise the limit.`,
    );
  }
  const ids = await insertMessagesCoalesced(
    queue.id,
    messages.map((m) => ({ body: m.body, delaySeconds: m.delaySeconds ?? 0, tags: m.tags })),
  );
  countMetric("queue", BigInt(queue.id), "SendMsgNum", ids.length);
  const visibleNow = messages.filter((m) => !m.delaySeconds).length;
  if (visibleNow > 0) {
    wakeReceivers(queue.id, visibleNow);
    announceSend(queue.id, visibleNow);
  }
  const delays = messages.map((m) => m.delaySeconds ?? 0).filter((d) => d > 0);
  if (delays.length > 0) {
    const inMs = Math.min(...delays) * 1000;
    scheduleWake(queue.id, inMs);
    announceDelayed(queue.id, inMs);
  }
  return ids.map((id) => ({ id }));
}

/**
 * Receives up to `max` messages, long-polling up to `waitSeconds` (else the queue's
 * pollingWaitSeconds). Returns as soon as at least one message is leased; an empty list after the wait.
 */
export async function receiveMessages(
  principal: Principal,
  { queueName, signal, ...input }: ReceiveMessagesInput & { queueName: string; signal?: AbortSignal },
): Promise<ReceivedMessage[]> {
  authorizeQueue(principal, "queue:ReceiveMessage", queueName);
  const queue = await getQueueRecordOrThrow(principal.accountId, queueName);
  const max = input.max ?? 1;
  const visibilityTimeout = input.visibilityTimeout ?? queue.visibilityTimeout;
  // Monotonic: a wall-clock step must not stretch or cut a wait.
  const deadline = performance.now() + (input.waitSeconds ?? queue.pollingWaitSeconds) * 1000;
  for (;;) {
    const seen = sendCounter(queue.id);
    // Queues without a dead-letter queue take the plain statement: their receive costs what it did.
    const { rows, nextVisibleInMs } =
      queue.deadLetter === null
        ? await leaseMessages(queue.id, max, visibilityTimeout, queue.msgRetentionSeconds)
        : await leaseWithDeadLetter(queue, queue.deadLetter, max, visibilityTimeout);
    if (rows.length > 0) {
      countMetric("queue", BigInt(queue.id), "RecvMsgNum", rows.length);
      // Others may be parked on this queue; let one of them look for what is left.
      if (waiterCount(queue.id) > 0) wakeReceivers(queue.id, 1);
      return rows.map(toReceivedMessage);
    }
    // Whether or not this receive waits on: the queue's timer may have fired for this check (it
    // wakes one waiter), so hand what it learnt to any other waiter before leaving.
    scheduleWake(queue.id, nextVisibleInMs);
    if (performance.now() >= deadline || signal?.aborted) return emptyReceive(queue.id);
    const woken = await waitForMessages({
      queueId: queue.id,
      deadline,
      seenSendCounter: seen,
      nextVisibleInMs,
      signal,
    });
    if (!woken) return emptyReceive(queue.id);
  }
}

/** A receive answered with nothing, once per request however long it waited (CMQ's RecvNullMsgNum). */
function emptyReceive(queueId: string): ReceivedMessage[] {
  countMetric("queue", BigInt(queueId), "RecvNullMsgNum");
  return [];
}

/** Rounds of one receive on a queue with a DLQ: each moves at most `max` messages, so a run of poison
 * messages at the head is cleared a few batches at a time and the receive still answers promptly. */
const DEAD_LETTER_ROUNDS = 4;

/**
 * Leases on a queue bound to a dead-letter queue. A round that moved messages and leased fewer than
 * asked looks again (bounded), since what it moved took the place of messages it could have leased;
 * the moved messages wake the DLQ's waiters, here and in other processes.
 */
async function leaseWithDeadLetter(
  queue: QueueRecord,
  policy: DeadLetterPolicy,
  max: number,
  visibilityTimeout: number,
): Promise<LeaseResult> {
  const rows: MessageRow[] = [];
  for (let round = 1; ; round++) {
    let result: Awaited<ReturnType<typeof leaseMessagesWithDeadLetter>>;
    try {
      result = await leaseMessagesWithDeadLetter(
        queue.id,
        max - rows.length,
        visibilityTimeout,
        queue.msgRetentionSeconds,
        policy,
      );
    } catch (error) {
      // 23503: the DLQ in this (cached) record is gone — another process unbound and deleted it.
      // The statement changed nothing; read the queue again and lease by what it says now.
      if ((error as { code?: unknown }).code !== "23503") throw error;
      forgetQueueRecord(queue.accountId, queue.name);
      const fresh = await getQueueRecordOrThrow(queue.accountId, queue.name);
      if (fresh.deadLetter?.deadLetterQueueId === policy.deadLetterQueueId) throw error;
      const rest =
        fresh.deadLetter === null
          ? await leaseMessages(fresh.id, max - rows.length, visibilityTimeout, fresh.msgRetentionSeconds)
          : await leaseWithDeadLetter(fresh, fresh.deadLetter, max - rows.length, visibilityTimeout);
      return {
        rows: [...rows, ...rest.rows],
        nextVisibleInMs: rows.length + rest.rows.length > 0 ? null : rest.nextVisibleInMs,
      };
    }
    rows.push(...result.rows);
    if (result.moved > 0) {
      wakeReceivers(policy.deadLetterQueueId, result.moved);
      announceSend(policy.deadLetterQueueId, result.moved);
    }
    if (result.moved === 0 || rows.length >= max || round >= DEAD_LETTER_ROUNDS) {
      // Rows moved in the last round still count in its "next visible" figure: look again soon.
      const nextVisibleInMs = result.moved > 0 ? 0 : result.nextVisibleInMs;
      return { rows, nextVisibleInMs: rows.length > 0 ? null : nextVisibleInMs };
    }
  }
}

/** Deletes by receipt handle; each handle succeeds or fails on its own. */
export async function deleteMessages(
  principal: Principal,
  { queueName, receiptHandles }: { queueName: string; receiptHandles: string[] },
): Promise<DeleteResult> {
  if (receiptHandles.length < 1 || receiptHandles.length > maxBatch) {
    throw new AppError("BATCH_SIZE_INVALID", `Delete 1 to ${maxBatch} receipt handles per request.`);
  }
  authorizeQueue(principal, "queue:DeleteMessage", queueName);
  const queue = await getQueueRecordOrThrow(principal.accountId, queueName);
  const parsed = receiptHandles.map((handle) => ({ handle, parts: parseReceiptHandle(handle) }));
  const valid = parsed.flatMap((p) => (p.parts ? [p.parts] : []));
  const deleted =
    valid.length > 0 ? await deleteLeasedCoalesced(queue.id, valid, queue.rewindSeconds > 0) : new Set<string>();
  const failed = parsed
    .filter((p) => !p.parts || !deleted.has(`${p.parts.id}:${p.parts.receipt}`))
    .map((p) => ({
      receiptHandle: p.handle,
      code: "RECEIPT_HANDLE_INVALID",
      message: p.parts
        ? "The receipt handle is not the message's latest, its lease has ended, or the message is gone."
        : "This is not a receipt handle issued by this service.",
    }));
  countMetric("queue", BigInt(queue.id), "DelMsgNum", deleted.size);
  // A handle repeated within one request deletes once; count distinct deletions.
  return { deleted: deleted.size, failed };
}

/** Pages through a queue's messages (one MessageFilter) without changing any of them. */
export async function peekMessages(
  principal: Principal,
  { queueName, cursor, limit, ...query }: PeekQuery & { queueName: string },
): Promise<PeekPage> {
  authorizeQueue(principal, "message:peek", queueName);
  const queue = await getQueueRecordOrThrow(principal.accountId, queueName);
  const [micros, id] = cursor?.split("-") ?? [];
  const [{ rows, walk }, totals] = await Promise.all([
    selectMessagesForPeek({
      queueId: queue.id,
      filter: filterOfPeekQuery({ cursor, limit, ...query }),
      after: micros && id ? { micros, id } : undefined,
      limit,
      previewChars: bodyPreviewChars,
    }),
    cursor ? null : countStates(queue.id),
  ]);
  const last = rows.at(-1);
  // A full page continues after its last message; a search that stopped walking continues there.
  const nextCursor = rows.length === limit && last ? last.cursor : (walk?.continueAfter ?? null);
  const origins = await originNames(principal, rows);
  return {
    messages: rows.map((r) => toPeekedMessage(r, origins)),
    nextCursor,
    totals,
    searched: walk && { rows: walk.rows, bytes: walk.bytes, stoppedBy: walk.stoppedBy },
  };
}

/** One message of the queue, live or kept for rewind, with its whole body. */
export async function getMessage(
  principal: Principal,
  { queueName, id }: { queueName: string; id: string },
): Promise<PeekedMessage> {
  authorizeQueue(principal, "message:peek", queueName);
  const queue = await getQueueRecordOrThrow(principal.accountId, queueName);
  const row = await selectMessageById(queue.id, id);
  if (!row) throw new AppError("MESSAGE_NOT_FOUND", `Queue "${queue.name}" has no message ${id}.`);
  return toPeekedMessage(row, await originNames(principal, [row]));
}

/** Per-state totals: exact for queues up to exactCountCap rows, else the stats sweep's figures. */
async function countStates(queueId: string): Promise<StateTotals> {
  const counted = await countQueueStates(queueId, exactCountCap);
  const now = new Date();
  const liveExact = counted.total < exactCountCap;
  const keptExact = counted.rewindable < exactCountCap;
  const swept = liveExact && keptExact ? null : await selectSweptStates(queueId);
  const live = liveExact ? counted : (swept ?? counted);
  const visible = live.visible;
  const inFlight = live.in_flight;
  const delayed = live.delayed;
  return {
    all: liveExact ? counted.total : Math.max(counted.total, swept?.total ?? 0),
    visible,
    delayed,
    inFlight,
    dead: live.dead,
    rewindable: keptExact ? counted.rewindable : Math.max(counted.rewindable, swept?.rewindable ?? 0),
    isApproximate: !(liveExact && keptExact),
    countedAt: (swept?.computed_at ?? now).toISOString(),
  };
}

/** Origin queues' names for dead messages, only those the caller may see (DESIGN §4.5). */
async function originNames(principal: Principal, rows: PeekRow[]): Promise<Map<string, string>> {
  const ids = [...new Set(rows.flatMap((r) => (r.dead_from_queue_id ? [r.dead_from_queue_id] : [])))];
  const names = await selectQueueNames(ids);
  for (const [id, name] of names) if (!canSeeQueue(principal.access, name)) names.delete(id);
  return names;
}

function toPeekedMessage(r: PeekRow, origins: Map<string, string>): PeekedMessage {
  return {
    id: r.id,
    body: r.body,
    bodyTruncated: r.body_truncated,
    sizeBytes: r.size_bytes,
    state: r.state,
    enqueuedAt: r.enqueued_at.toISOString(),
    firstEnqueuedAt: r.first_enqueued_at?.toISOString() ?? null,
    firstDequeuedAt: r.first_dequeued_at?.toISOString() ?? null,
    nextVisibleAt: r.state === "rewindable" ? null : (r.visible_at?.toISOString() ?? null),
    dequeueCount: r.dequeue_count,
    tags: r.tags,
    redriveCount: r.redrive_count,
    isDead: r.dead_at !== null,
    death: r.dead_reason
      ? {
          reason: r.dead_reason,
          fromQueue: (r.dead_from_queue_id && origins.get(r.dead_from_queue_id)) || null,
          diedAt: r.dead_at?.toISOString() ?? null,
          dequeueCount: r.dead_dequeue_count,
        }
      : null,
    deletedAt: r.deleted_at?.toISOString() ?? null,
  };
}

function toReceivedMessage(row: MessageRow): ReceivedMessage {
  return {
    id: row.id,
    body: row.body,
    receiptHandle: formatReceiptHandle(row.id, row.receipt ?? ""),
    enqueuedAt: row.enqueued_at.toISOString(),
    firstDequeuedAt: (row.first_dequeued_at ?? row.visible_at).toISOString(),
    nextVisibleAt: row.visible_at.toISOString(),
    dequeueCount: row.dequeue_count,
    tags: row.tags,
  };
}
