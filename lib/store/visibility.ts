import { getPool } from "@/lib/db/pool";
import type { Prisma } from "@/lib/generated/prisma/client";

// Changing when a hidden message becomes visible: a consumer's lease (by receipt handle) or an
// operator's change of an in-flight or delayed message (by id). Primary-key lookups, one row lock.

/**
 * Sets a lease to end `seconds` from now (0: now), if `receipt` is still the message's latest and its
 * lease still holds — the same test as a delete, so an expired or superseded handle changes nothing.
 * A receive that is re-leasing the row holds it locked: the UPDATE waits, re-checks, and finds the
 * receipt changed. The receipt is kept, so the handle stays valid while the new lease holds.
 */
export async function changeLeaseVisibility(
  queueId: string,
  handle: { id: string; receipt: string },
  seconds: number,
): Promise<Date | null> {
  const { rows } = await getPool().query<{ visible_at: Date }>({
    name: "change_lease_visibility",
    text: `UPDATE message SET visible_at = now() + $4 * interval '1 second'
           WHERE queue_id = $1 AND id = $2 AND receipt = $3 AND visible_at > now()
           RETURNING visible_at`,
    values: [queueId, handle.id, handle.receipt, seconds],
  });
  return rows[0]?.visible_at ?? null;
}

/**
 * The operator's form, by id, in the caller's transaction (with its audit row): only a hidden
 * message (in flight or delayed) changes. A visible one is left alone — hiding it again would
 * revive the receipt of a lease that has ended. `found` false: no such message in the queue.
 */
export async function changeHiddenVisibility(
  tx: Prisma.TransactionClient,
  options: { queueId: string; id: string; seconds: number },
): Promise<{ found: boolean; visibleAt: Date | null }> {
  const rows = await tx.$queryRawUnsafe<{ is_hidden: boolean; visible_at: Date | null }[]>(
    `WITH target AS (
       SELECT id, visible_at > now() AS is_hidden FROM message
       WHERE queue_id = $1::bigint AND id = $2::bigint
       FOR UPDATE
     ), changed AS (
       UPDATE message m SET visible_at = now() + $3::int * interval '1 second'
       FROM target WHERE m.id = target.id AND target.is_hidden
       RETURNING m.visible_at
     )
     SELECT target.is_hidden, changed.visible_at FROM target LEFT JOIN changed ON true`,
    options.queueId,
    options.id,
    options.seconds,
  );
  const row = rows[0];
  return { found: !!row, visibleAt: row?.visible_at ?? null };
}
