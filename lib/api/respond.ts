import { NextResponse } from "next/server";
import { appErrorOfDatabaseError } from "@/lib/db/app-error-of";
import { unavailableRetryAfterSeconds } from "@/lib/db/unavailable";
import { AppError } from "@/lib/errors";
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
  const known = appErrorOfDatabaseError(error);
  if (known) return errorResponse(known, options);
  logger.error({ err: error }, "unhandled error in API route");
  return errorResponse(new AppError("INTERNAL", "Internal server error. It has been logged; try again."), options);
}
