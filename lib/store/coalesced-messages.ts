import { settings } from "@/lib/config";
import { getPool } from "@/lib/db/pool";
import { isDatabaseUnavailable } from "@/lib/db/unavailable";
import { singleton } from "@/lib/singleton";
import { type CombinedFailure, createCoalescer } from "./coalesce";
import { compareIds, deleteLeased, insertMessages, keepDeleted, type NewMessage } from "./messages";

// Sends and deletes that arrive together — from any callers, for any queues — share one statement
// and one commit (lib/store/coalesce.ts). Each caller is answered only after the statement that
// carries its rows has committed, with its own ids or its own deletions, exactly as its own
// statement would have answered. OPENCMQ_COALESCE=off sends each call as its own statement.

export const coalescingEnabled = () => settings().coalesce === "on";

// A combined statement stays the size of a few requests' worth (≤ 256 rows, ≤ 4 MiB of bodies), and
// each kind keeps at most 3 combined statements running, so sends and deletes together hold at most
// 6 of the pool's connections and receives find one. (Calls set apart to wait for a lock run
// outside that budget, one statement each, as every call does with coalescing off.)
const maxRows = 256;
const maxBytes = 4 * 1024 * 1024;
const maxInFlight = 3;

// A combined statement must not make one caller's wait everyone's: an INSERT into a queue whose
// DELETE is running waits for it (the foreign key check), a DELETE waits on rows being removed.
// The combined statements give up on a lock after this long (set_config(…, true) lasts until the
// statement's own commit); the split then retries, and only the calls that need the lock wait for
// it, in their own statements, as without coalescing.
const lockTimeout = "100ms";

/**
 * Why a combined statement failed. The server answered with an error, so it rolled back: if it gave
 * up waiting for a lock (55P03, our lock_timeout), the items of that queue go on their own and wait
 * as they would have; any other refusal (a queue deleted meanwhile, a value it cannot store, a
 * deadlock) may be one caller's input, so the statement is split. pg's DatabaseError carries the
 * server's SQLSTATE and severity; socket errors carry neither, and an outage fails them all.
 */
export function classifyFailure(error: unknown): CombinedFailure {
  const { code, severity } = (error ?? {}) as { code?: unknown; severity?: unknown };
  const fromServer = typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) && typeof severity === "string";
  if (!fromServer || isDatabaseUnavailable(error)) return "fail";
  return code === "55P03" ? "solo" : "split";
}

type SendItem = { queueId: string; messages: NewMessage[] };
/** `keep`: the queue's rewind is on, so its deleted rows move to message_history (messages.ts deleteLeased). */
type DeleteItem = { queueId: string; handles: { id: string; receipt: string }[]; keep: boolean };

/**
 * One INSERT for the messages of several sends. The sequence hands out ids in row order, as in
 * insertMessages, so the sorted ids are the rows in input order and each caller takes its slice.
 */
async function insertCombined(items: SendItem[]): Promise<string[][]> {
  const rows = items.flatMap((item) => item.messages.map((m) => ({ queueId: item.queueId, ...m })));
  const result = await getPool().query<{ id: string }>({
    name: "insert_messages_combined",
    text: `INSERT INTO message (queue_id, body, tags, visible_at)
           SELECT q, b,
                  CASE WHEN t IS NULL THEN '{}'::text[] ELSE ARRAY(SELECT jsonb_array_elements_text(t::jsonb)) END,
                  now() + d * interval '1 second'
           FROM unnest($1::bigint[], $2::text[], $3::int[], $4::text[]) AS x(q, b, d, t),
                (SELECT set_config('lock_timeout', $5, true)) AS bounded
           RETURNING id`,
    values: [
      rows.map((r) => r.queueId),
      rows.map((r) => r.body),
      rows.map((r) => r.delaySeconds),
      rows.map((r) => (r.tags?.length ? JSON.stringify(r.tags) : null)),
      lockTimeout,
    ],
  });
  const ids = result.rows.map((r) => r.id).sort(compareIds);
  if (ids.length !== rows.length) throw new Error(`inserted ${ids.length} of ${rows.length} rows`);
  let at = 0;
  return items.map((item) => {
    at += item.messages.length;
    return ids.slice(at - item.messages.length, at);
  });
}

// The arrays are behind sub-selects so that PostgreSQL keeps one generic plan (messages.ts, top).
/** deleteCombined's statements: $1 queues, $2 ids, $3 receipts, $4 lock_timeout, ($5 keep flags). */
export const deleteCombinedSql = `DELETE FROM message m
           USING unnest((SELECT $1::bigint[]), (SELECT $2::bigint[]), (SELECT $3::uuid[])) AS h(queue_id, id, receipt),
                 (SELECT set_config('lock_timeout', $4, true)) AS bounded
           WHERE m.queue_id = h.queue_id AND m.id = h.id AND m.receipt = h.receipt AND m.visible_at > now()
           RETURNING m.queue_id, m.id, m.receipt`;
export const deleteCombinedKeepSql = `WITH h AS (
                   SELECT * FROM unnest((SELECT $1::bigint[]), (SELECT $2::bigint[]), (SELECT $3::uuid[]),
                                        (SELECT $5::bool[])) AS h(queue_id, id, receipt, keep)
                 ), d AS (
                   DELETE FROM message m USING h, (SELECT set_config('lock_timeout', $4, true)) AS bounded
                   WHERE m.queue_id = h.queue_id AND m.id = h.id AND m.receipt = h.receipt AND m.visible_at > now()
                   RETURNING m.*, h.keep AS is_kept
                 ), kept AS (${keepDeleted("d", "d.is_kept")})
                 SELECT queue_id, id, receipt FROM d`;

/**
 * One DELETE for the handles of several deletes, by (queue, id, receipt) while the lease holds —
 * the queue too, so a handle deletes only in the queue its caller was authorized for. A handle two
 * callers both hold is credited to the first, as if their statements had run one after the other.
 */
async function deleteCombined(items: DeleteItem[]): Promise<Set<string>[]> {
  const handles = items.flatMap((item) => item.handles.map((h) => ({ queueId: item.queueId, keep: item.keep, ...h })));
  const values = [handles.map((h) => h.queueId), handles.map((h) => h.id), handles.map((h) => h.receipt), lockTimeout];
  // Without a handle to keep, exactly the statement (and cost) of a plain delete. With one, each
  // handle carries its flag ($5) and the rows of the kept ones move into message_history in the
  // same statement; the others are dropped as before.
  const isKeeping = handles.some((h) => h.keep);
  const { rows } = await getPool().query<{ queue_id: string; id: string; receipt: string }>(
    isKeeping
      ? {
          name: "delete_leased_combined_keep",
          text: deleteCombinedKeepSql,
          values: [...values, handles.map((h) => h.keep)],
        }
      : { name: "delete_leased_combined", text: deleteCombinedSql, values },
  );
  const unclaimed = new Set(rows.map((r) => `${r.queue_id}:${r.id}:${r.receipt}`));
  return items.map((item) => {
    const deleted = new Set<string>();
    for (const h of item.handles) {
      const key = `${item.queueId}:${h.id}:${h.receipt}`;
      if (unclaimed.delete(key)) deleted.add(`${h.id}:${h.receipt}`);
    }
    return deleted;
  });
}

const coalescers = singleton("messageCoalescers", () => ({
  send: createCoalescer<SendItem, string[]>({
    weigh: (item) => ({
      rows: item.messages.length,
      bytes: item.messages.reduce((sum, m) => sum + Buffer.byteLength(m.body, "utf8"), 0),
    }),
    keyOf: (item) => item.queueId,
    maxRows,
    maxBytes,
    maxInFlight,
    runCombined: insertCombined,
    runAlone: (item) => insertMessages(item.queueId, item.messages),
    onCombinedError: classifyFailure,
  }),
  delete: createCoalescer<DeleteItem, Set<string>>({
    weigh: (item) => ({ rows: item.handles.length, bytes: 0 }),
    keyOf: (item) => item.queueId,
    maxRows,
    maxBytes,
    maxInFlight,
    runCombined: deleteCombined,
    runAlone: (item) => deleteLeased(item.queueId, item.handles, item.keep),
    onCombinedError: classifyFailure,
  }),
}));

/** insertMessages, sharing a statement with concurrent sends when coalescing is on. */
export function insertMessagesCoalesced(queueId: string, messages: NewMessage[]): Promise<string[]> {
  return coalescingEnabled() ? coalescers.send({ queueId, messages }) : insertMessages(queueId, messages);
}

/** deleteLeased, sharing a statement with concurrent deletes when coalescing is on. */
export function deleteLeasedCoalesced(
  queueId: string,
  handles: { id: string; receipt: string }[],
  keep = false,
): Promise<Set<string>> {
  return coalescingEnabled() ? coalescers.delete({ queueId, handles, keep }) : deleteLeased(queueId, handles, keep);
}
