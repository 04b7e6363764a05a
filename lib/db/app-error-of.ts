import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { describeUnavailable, isDatabaseUnavailable, unavailableMessage } from "./unavailable";

export const lockTimeoutMessage =
  "The change waited too long for a lock another request holds; nothing was changed. Retry shortly.";

/**
 * The service error a database error stands for, the same for both APIs; null when it stands for
 * none (a bug: the caller logs it and answers INTERNAL). An outage is UNAVAILABLE (DESIGN.md
 * invariant 11); a foreign-key violation (23503) is a queue deleted by another process between its
 * lookup and an insert into it. A lock wait that ran out (55P03, our lock_timeout: a publish or another
 * change locking several queues' rows, behind a long-held lock) rolled the change back whole: the
 * client retries, as in an outage.
 */
export function appErrorOfDatabaseError(error: unknown): AppError | null {
  if (isDatabaseUnavailable(error)) {
    // An outage, not a bug: the client retries; the process stays up and reconnects by itself.
    logger.warn({ err: describeUnavailable(error) }, "database unavailable; answered UNAVAILABLE");
    return new AppError("UNAVAILABLE", unavailableMessage);
  }
  if (isLockTimeout(error)) {
    logger.warn({ err: describeUnavailable(error) }, "gave up waiting for a lock; answered UNAVAILABLE");
    return new AppError("UNAVAILABLE", lockTimeoutMessage);
  }
  if ((error as { code?: unknown } | null)?.code === "23503") {
    return new AppError("QUEUE_NOT_FOUND", "The queue no longer exists.");
  }
  return null;
}

/** Whether a statement gave up waiting for a lock (55P03: lock_timeout), in pg's shape or Prisma's. */
export function isLockTimeout(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 4) return false;
  const e = error as { code?: unknown; originalCode?: unknown; cause?: unknown; meta?: unknown };
  if (e.code === "55P03" || e.originalCode === "55P03") return true;
  const meta = e.meta as { driverAdapterError?: unknown } | undefined;
  return isLockTimeout(e.cause, depth + 1) || isLockTimeout(meta?.driverAdapterError, depth + 1);
}
