import type { Principal } from "@/lib/auth/principal";
import { AppError } from "@/lib/errors";
import { changeHiddenVisibility, changeLeaseVisibility } from "@/lib/store/visibility";
import { audit, inChangeTransaction } from "./audit";
import { authorizeChange, authorizeQueue } from "./authorize";
import { announceDelayed, announceSend } from "./cross-process-wake";
import { scheduleWake, wakeReceivers } from "./long-poll";
import { getQueueRecordOrThrow } from "./queue-lookup";
import { parseReceiptHandle } from "./receipt-handle";

/** Waiters learn when the message becomes visible: now (wake one) or later (their timer). */
function announceVisibility(queueId: string, seconds: number) {
  if (seconds === 0) {
    wakeReceivers(queueId, 1);
    announceSend(queueId, 1);
  } else {
    scheduleWake(queueId, seconds * 1000);
    announceDelayed(queueId, seconds * 1000);
  }
}

/**
 * ChangeMessageVisibility by receipt handle: the lease now ends `visibilityTimeout` seconds from now
 * (0: at once, the message is visible again). Only the latest handle of a lease that still holds
 * changes anything; the handle stays valid while the new lease holds.
 */
export async function changeMessageVisibility(
  principal: Principal,
  {
    queueName,
    receiptHandle,
    visibilityTimeout,
  }: { queueName: string; receiptHandle: string; visibilityTimeout: number },
): Promise<{ receiptHandle: string; nextVisibleAt: string }> {
  authorizeQueue(principal, "queue:ChangeMessageVisibility", queueName);
  const queue = await getQueueRecordOrThrow(principal.accountId, queueName);
  const handle = parseReceiptHandle(receiptHandle);
  const visibleAt = handle ? await changeLeaseVisibility(queue.id, handle, visibilityTimeout) : null;
  if (!visibleAt) {
    throw new AppError(
      "RECEIPT_HANDLE_INVALID",
      handle
        ? "The receipt handle is not the message's latest, its lease has ended, or the message is gone."
        : "This is not a receipt handle issued by this service.",
    );
  }
  announceVisibility(queue.id, visibilityTimeout);
  return { receiptHandle, nextVisibleAt: visibleAt.toISOString() };
}

/**
 * The operator's form: changes when an in-flight or delayed message becomes visible, by id. A
 * visible message is refused (MESSAGE_VISIBLE): there is no lease or delay to change. Audited.
 */
export async function changeMessageVisibilityById(
  principal: Principal,
  { queueName, id, visibilityTimeout }: { queueName: string; id: string; visibilityTimeout: number },
): Promise<{ id: string; nextVisibleAt: string }> {
  const target = { type: "queue", name: queueName, action: "message.visibility" } as const;
  await authorizeChange(principal, "queue:ChangeMessageVisibility", target, "role");
  const queue = await getQueueRecordOrThrow(principal.accountId, queueName);
  await authorizeChange(principal, "queue:ChangeMessageVisibility", { ...target, name: queue.name });
  const visibleAt = await inChangeTransaction(async (tx) => {
    const changed = await changeHiddenVisibility(tx, { queueId: queue.id, id, seconds: visibilityTimeout });
    if (!changed.found) throw new AppError("MESSAGE_NOT_FOUND", `Queue "${queue.name}" holds no message ${id}.`);
    if (!changed.visibleAt) {
      throw new AppError(
        "MESSAGE_VISIBLE",
        `Message ${id} is visible: only an in-flight or delayed message has a visibility to change.`,
      );
    }
    await audit(
      principal,
      {
        action: "message.visibility",
        resourceType: "queue",
        resourceName: queue.name,
        details: { id, visibilityTimeout },
      },
      tx,
    );
    return changed.visibleAt;
  });
  announceVisibility(queue.id, visibilityTimeout);
  return { id, nextVisibleAt: visibleAt.toISOString() };
}
