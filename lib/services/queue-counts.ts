import { getPool } from "@/lib/db/pool";
import type { Queue as QueueModel, QueueStats } from "@/lib/generated/prisma/client";
import type { Queue } from "@/lib/schemas/queue";
import { countRewindable } from "@/lib/store/history";
import { countSmallQueues } from "@/lib/store/inspect";
import { type ApproximateCounts, approximateCountsSql, selectQueueRates } from "@/lib/store/metrics";
import { deadLetterOf, deadLetterQueueNames } from "./dead-letters";

// A queue's counts as the APIs answer them, without scanning a large queue (issue 12 item 2):
// - a queue the counts kept without scanning put below exactCountCap is counted per request, exactly,
//   its scan stopping at the cap (countsAreExact: true when it stayed below);
// - a larger one is not scanned at all: the stats worker's last recount moved on by the sends,
//   receives and deletes flushed since (lib/store/metrics.ts approximateCountsSql; countsAreExact: false).
// So listing 1,000 queues of a million messages each reads 1,000 rows of counts, as for empty ones.

/** Queues up to this many messages are counted exactly per request; larger ones are not scanned. */
export const exactCountCap = 10_000;

export type QueueWithStats = QueueModel & { stats: QueueStats | null };

/** The kept counts of these queues (one statement; no message is read). */
export async function selectApproximateCounts(queueIds: string[]): Promise<Map<string, ApproximateCounts>> {
  if (queueIds.length === 0) return new Map();
  const { rows } = await getPool().query<ApproximateCounts>(approximateCountsSql("q.id = ANY($1::bigint[])"), [
    queueIds,
  ]);
  return new Map(rows.map((r) => [String(r.queue_id), r]));
}

/** The Queue answers of these queues, in the same order. */
export async function withCounts(queues: QueueWithStats[]): Promise<Queue[]> {
  const ids = queues.map((q) => q.id.toString());
  const approximate = await selectApproximateCounts(ids);
  const small = ids.filter((id) => (approximate.get(id)?.total ?? 0) < exactCountCap);
  const keptSmall = queues
    .filter((q) => q.rewindSeconds > 0 && Number(q.stats?.rewindable ?? 0) < exactCountCap)
    .map((q) => q.id.toString());
  const [counted, rewindable, deadLetterNames, rates] = await Promise.all([
    countSmallQueues(small, exactCountCap),
    countRewindable(keptSmall, exactCountCap),
    deadLetterQueueNames(queues),
    selectQueueRates(ids),
  ]);
  const now = new Date();
  return queues.map((q) => {
    const id = q.id.toString();
    const exact = counted.get(id);
    const kept = approximate.get(id);
    const isExact = !!exact && exact.total < exactCountCap;
    // Not exact: the kept counts, or (a queue that outgrew the cap before its first recount) at least
    // what the capped scan saw.
    const source = isExact
      ? {
          visible: exact.visible,
          inFlight: exact.in_flight,
          delayed: exact.delayed,
          dead: exact.dead,
          oldest: exact.oldest,
          at: now,
        }
      : {
          visible: Math.max(kept?.visible ?? 0, exact?.visible ?? 0),
          inFlight: Math.max(kept?.in_flight ?? 0, exact?.in_flight ?? 0),
          delayed: Math.max(kept?.delayed ?? 0, exact?.delayed ?? 0),
          dead: Math.max(kept?.dead ?? 0, exact?.dead ?? 0),
          oldest: kept?.oldest ?? exact?.oldest ?? null,
          at: kept?.counted_at ?? now,
        };
    const rate = rates.get(id);
    const perSecond = (n: number | undefined) => (rate && rate.seconds > 0 ? round3((n ?? 0) / rate.seconds) : 0);
    return {
      id,
      name: q.name,
      createdAt: q.createdAt.toISOString(),
      updatedAt: q.updatedAt.toISOString(),
      visibilityTimeout: q.visibilityTimeout,
      pollingWaitSeconds: q.pollingWaitSeconds,
      maxMsgSize: q.maxMsgSize,
      msgRetentionSeconds: q.msgRetentionSeconds,
      maxMsgHeapNum: Number(q.maxMsgHeapNum),
      rewindSeconds: q.rewindSeconds,
      deadLetter: deadLetterOf(q, deadLetterNames),
      counts: {
        visible: source.visible,
        inFlight: source.inFlight,
        delayed: source.delayed,
        rewindable: rewindableCount(q, rewindable.get(id)),
        dead: source.dead,
      },
      oldestMessageAgeSeconds: source.oldest
        ? Math.max(0, Math.round((now.getTime() - source.oldest.getTime()) / 1000))
        : null,
      countsAreExact: isExact,
      countsAt: source.at.toISOString(),
      rates: {
        sendPerSecond: perSecond(rate?.send),
        receivePerSecond: perSecond(rate?.recv),
        deletePerSecond: perSecond(rate?.del),
      },
    };
  });
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;

/**
 * History rows inside the rewind window: exact up to the cap; beyond it the stats sweep's figure
 * (0 at once when rewind is off, whatever the sweep last saw: the window is empty).
 */
function rewindableCount(q: QueueWithStats, exact: number | undefined): number {
  if (q.rewindSeconds <= 0) return 0;
  if (exact !== undefined && exact < exactCountCap) return exact;
  return Math.max(exact ?? 0, Number(q.stats?.rewindable ?? 0));
}

export type QueueSortValues = {
  id: string;
  name: string;
  createdAt: Date;
  backlog: number;
  oldestAge: number;
  sendRate: number;
  receiveRate: number;
};

/**
 * Every queue of the account matching `search` with the values the list sorts by, from the kept
 * counts and the last minutes' counters (one statement; no message is read).
 */
export async function selectQueueSortValues(accountId: string, search: string | null): Promise<QueueSortValues[]> {
  const { rows } = await getPool().query<{
    id: string;
    name: string;
    created_at: Date;
    backlog: number;
    oldest_age: number;
    send: number;
    recv: number;
  }>(
    `SELECT c.queue_id::text AS id, c.name, q.created_at, c.total AS backlog,
            coalesce(extract(epoch FROM now() - c.oldest), 0)::float8 AS oldest_age,
            coalesce(r.send, 0)::float8 AS send, coalesce(r.recv, 0)::float8 AS recv
     FROM (${approximateCountsSql("q.account_id = $1 AND ($2::text IS NULL OR q.name ILIKE '%' || $2 || '%')")}) c
     JOIN queue q ON q.id = c.queue_id
     LEFT JOIN LATERAL (
       SELECT sum(m.send_msg_num) AS send, sum(m.recv_msg_num) AS recv FROM metric_minute m
       WHERE m.resource_kind = 1 AND m.resource_id = c.queue_id AND m.at >= date_trunc('minute', now()) - interval '5 minutes'
     ) r ON true`,
    [accountId, search],
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    createdAt: r.created_at,
    backlog: r.backlog,
    oldestAge: r.backlog > 0 ? r.oldest_age : 0,
    sendRate: r.send,
    receiveRate: r.recv,
  }));
}

/** Orders queues by a list sort key; ties by name, then id (a stable page order). */
export function compareQueues(sort: keyof Omit<QueueSortValues, "id">, order: "asc" | "desc") {
  const sign = order === "asc" ? 1 : -1;
  return (a: QueueSortValues, b: QueueSortValues) => {
    const x = a[sort];
    const y = b[sort];
    const primary =
      typeof x === "string" && typeof y === "string"
        ? x.localeCompare(y, "en", { sensitivity: "base" })
        : Number(x) - Number(y);
    return sign * primary || a.name.localeCompare(b.name) || a.id.localeCompare(b.id);
  };
}
