import { NextResponse } from "next/server";
import {
  describeUnavailable,
  isDatabaseUnavailable,
  unavailableMessage,
  unavailableRetryAfterSeconds,
} from "@/lib/db/unavailable";
import { AppError, errorTable } from "@/lib/errors";
import { logger } from "@/lib/logger";

/**
 * The REST error format: HTTP status + { error: { code, message, details? } }. A 401 invites HTTP
 * Basic only for machine clients: sent to a browser, the challenge would open a login prompt and
 * keep the console from seeing the 401 (it signs in again instead).
 */
export function errorResponse(error: unknown, options: { isBrowser?: boolean } = {}): NextResponse {
  if (error instanceof AppError) {
    const headers: Record<string, string> =
      error.code === "UNAUTHORIZED" && !options.isBrowser
        ? { "www-authenticate": 'Basic realm="OpenCMQ", charset="UTF-8"' }
        : error.code === "UNAVAILABLE"
          ? { "retry-after": String(unavailableRetryAfterSeconds) }
          : {};
    const retryAfter = (error.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
    if (typeof retryAfter === "number") headers["retry-after"] = String(retryAfter);
    return NextResponse.json(
      { error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } },
      { status: error.status, headers },
    );
  }
  if (isDatabaseUnavailable(error)) {
    // An outage, not a bug: the client retries; the process stays up and reconnects by itself.
    logger.warn({ err: describeUnavailable(error) }, "database unavailable; answered 503");
    return errorResponse(new AppError("UNAVAILABLE", unavailableMessage), options);
  }
  if (isForeignKeyViolation(error)) {
    // A queue deleted by another process between lookup and insert.
    return errorResponse(new AppError("QUEUE_NOT_FOUND", "The queue no longer exists."));
  }
  logger.error({ err: error }, "unhandled error in API route");
  return NextResponse.json(
    { error: { code: "INTERNAL", message: "Internal server error. It has been logged; try again." } },
    { status: errorTable.INTERNAL.status },
  );
}

function isForeignKeyViolation(error: unknown): boolean {
  return (error as { code?: string })?.code === "23503";
}
