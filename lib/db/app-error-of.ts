import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { describeUnavailable, isDatabaseUnavailable, unavailableMessage } from "./unavailable";

/**
 * The service error a database error stands for, the same for both APIs; null when it stands for
 * none (a bug: the caller logs it and answers INTERNAL). An outage is UNAVAILABLE (DESIGN.md
 * invariant 11); a foreign-key violation (23503) is a queue deleted by another process between its
 * lookup and an insert into it.
 */
export function appErrorOfDatabaseError(error: unknown): AppError | null {
  if (isDatabaseUnavailable(error)) {
    // An outage, not a bug: the client retries; the process stays up and reconnects by itself.
    logger.warn({ err: describeUnavailable(error) }, "database unavailable; answered UNAVAILABLE");
    return new AppError("UNAVAILABLE", unavailableMessage);
  }
  if ((error as { code?: unknown } | null)?.code === "23503") {
    return new AppError("QUEUE_NOT_FOUND", "The queue no longer exists.");
  }
  return null;
}
