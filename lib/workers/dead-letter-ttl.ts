import { announceSend } from "@/lib/services/cross-process-wake";
import { wakeReceivers } from "@/lib/services/long-poll";
import { sweepTimeToLive } from "@/lib/store/dead-letters";
import type { Worker } from "./worker";

/** Entries read at the head of each maxTimeToLive queue per tick. */
const WALK = 500;

/**
 * Dead-letter policy 1 (maxTimeToLive) for messages nobody receives: each tick moves the expired
 * messages at the head of every such queue to its DLQ (a receive moves the ones it meets itself, to
 * the second). One bounded statement per tick; it hurries on while heads are full of expired messages.
 */
export const deadLetterTtlWorker: Worker = {
  name: "dead-letter-ttl",
  lockKey: 727_105,
  intervalMs: 1000,
  async tick(db) {
    const moves = await sweepTimeToLive(db, WALK);
    for (const { dlq, moved } of moves) {
      wakeReceivers(dlq, moved);
      announceSend(dlq, moved);
    }
    return moves.some((m) => m.moved >= WALK) ? 50 : undefined;
  },
};
