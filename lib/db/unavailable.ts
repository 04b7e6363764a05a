// Whether an error means "the database is not there right now" (stopped, restarting, unreachable,
// out of connections, too slow) rather than a fault of the request or of the code. Such errors are
// an outage: both APIs answer them as UNAVAILABLE (REST 503 + Retry-After, CMQ 6000), never 500.
// They reach us in three shapes: pg's own errors (a server error code, or a Node socket error),
// pg-pool's timeouts, and Prisma's wrappers around them (P1001…, driver adapter errors).

/** Server error codes: connection exceptions (08…), shutdown/restart (57P0…), too many connections, statement timeout. */
const serverCodes = new Set([
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
  "08007",
  "57P01",
  "57P02",
  "57P03",
  "53300",
  "57014",
]);
const socketCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ECONNABORTED",
]);
/** Prisma: can't reach (P1001), timeout (P1002, P1008), server closed the connection (P1017), pool timeout (P2024). */
const prismaCodes = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
const adapterKinds = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);
// pg and pg-pool raise these as plain Errors without a code.
const messages =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed and is not queryable|Cannot use a pool after calling end|terminating connection due to administrator command|the database system is (starting up|shutting down|in recovery mode)|Can't reach database server|Server has closed the connection|canceling statement due to statement timeout/i;

type Shape = {
  code?: unknown;
  kind?: unknown;
  originalCode?: unknown;
  message?: unknown;
  cause?: unknown;
  meta?: unknown;
};

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 4) return false;
  const e = error as Shape;
  for (const code of [e.code, e.originalCode]) {
    if (typeof code === "string" && (serverCodes.has(code) || socketCodes.has(code) || prismaCodes.has(code))) {
      return true;
    }
  }
  if (typeof e.kind === "string" && adapterKinds.has(e.kind)) return true;
  if (typeof e.message === "string" && messages.test(e.message)) return true;
  const meta = e.meta as { driverAdapterError?: unknown } | undefined;
  return isDatabaseUnavailable(e.cause, depth + 1) || isDatabaseUnavailable(meta?.driverAdapterError, depth + 1);
}

/** Seconds a client should wait before retrying during an outage (REST Retry-After). */
export const unavailableRetryAfterSeconds = 2;

export const unavailableMessage = "The database is unavailable or not answering in time; retry shortly.";

/** What to log of such an error: its message and code (pg's errors can carry a whole client object). */
export function describeUnavailable(error: unknown): { message: string; code?: string } {
  const e = error as { message?: unknown; code?: unknown };
  return { message: String(e?.message ?? error), ...(typeof e?.code === "string" ? { code: e.code } : {}) };
}
