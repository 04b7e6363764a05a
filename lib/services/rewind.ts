import type { Principal } from "@/lib/auth/principal";
import { AppError } from "@/lib/errors";
import type { RewindQueueInput, RewindResult } from "@/lib/schemas/rewind";
import { databaseNow, rewindBatchRows, rewindHistoryBatch } from "@/lib/store/history";
import { audit, inChangeTransaction } from "./audit";
import { authorizeChange } from "./authorize";
import { announceSend } from "./cross-process-wake";
import { wakeReceivers } from "./long-poll";
import { forgetQueueRecord, getQueueRecordOrThrow } from "./queue-lookup";

/** A client's "now" may run this far ahead of the database's clock and still be "now". */
const clockSlackMs = 1000;

/**
 * RewindQueue: re-delivers the queue's deleted messages produced at or after `startConsumeTime`
 * (inside [now − rewindSeconds, now]) in production order. History rows move back into the queue in
 * batches of ≤ rewindBatchRows, each its own short transaction (never one long one); waiters are woken
 * after each batch. The last batch commits with the audit row carrying the count.
 */
export async function rewindQueue(
  principal: Principal,
  { queueName, startConsumeTime }: RewindQueueInput & { queueName: string },
): Promise<RewindResult> {
  const target = { type: "queue", name: queueName, action: "queue.rewind" } as const;
  await authorizeChange(principal, "queue:RewindQueue", target, "role");
  // Fresh, not the cached record: a rewind right after turning rewind on or off must see it.
  forgetQueueRecord(principal.accountId, queueName);
  const queue = await getQueueRecordOrThrow(principal.accountId, queueName);
  await authorizeChange(principal, "queue:RewindQueue", { ...target, name: queue.name });
  if (queue.rewindSeconds <= 0) {
    throw new AppError("REWIND_NOT_ENABLED", `Queue "${queue.name}" cannot be rewound: its rewindSeconds is 0.`);
  }
  const from = new Date(startConsumeTime);
  const now = await databaseNow();
  const earliest = new Date(now.getTime() - queue.rewindSeconds * 1000);
  if (from < earliest || from.getTime() > now.getTime() + clockSlackMs) {
    throw new AppError(
      "REWIND_TIME_OUT_OF_RANGE",
      `startConsumeTime must lie between ${earliest.toISOString()} and now (${now.toISOString()}): the queue keeps deleted messages for ${queue.rewindSeconds} s (rewindSeconds).`,
    );
  }
  let rewound = 0;
  for (;;) {
    const moved = await inChangeTransaction(async (tx) => {
      const count = await rewindHistoryBatch(tx, {
        queueId: queue.id,
        from,
        deletedBefore: now,
        limit: rewindBatchRows,
      });
      if (count < rewindBatchRows) {
        await audit(
          principal,
          {
            action: "queue.rewind",
            resourceType: "queue",
            resourceName: queue.name,
            details: { startConsumeTime: from.toISOString(), rewound: rewound + count },
          },
          tx,
        );
      }
      return count;
    });
    rewound += moved;
    if (moved > 0) {
      wakeReceivers(queue.id, moved);
      announceSend(queue.id, moved);
    }
    if (moved < rewindBatchRows) return { rewound };
  }
}
