import pg from "pg";
import { settings } from "@/lib/config";
import { logger } from "@/lib/logger";

// int8 columns (message ids, counts) arrive as strings; keep them that way (ids are opaque strings
// in both APIs) and convert counts explicitly where they are numbers.

const globalForPool = globalThis as unknown as { opencmqPool?: pg.Pool };

/**
 * The process's one connection pool, shared by the hot-path SQL and Prisma's adapter. Built to
 * survive the database going away (DESIGN.md invariant 11): a connection that dies while idle is
 * logged and replaced instead of crashing the process (`error` listener), connecting gives up after
 * a few seconds, TCP keepalive notices a server that vanished without a word, and every statement
 * is bounded server-side. Long polls hold no connection while they wait, so the statement timeout
 * bounds real work only: API statements and each worker chunk.
 */
export function getPool(): pg.Pool {
  if (!globalForPool.opencmqPool) {
    const { databaseUrl, poolSize, dbConnectTimeoutMs, statementTimeoutMs } = settings();
    if (!databaseUrl) throw new Error("DATABASE_URL is not set: start the service with `npm start`.");
    const pool = new pg.Pool({
      connectionString: databaseUrl,
      max: poolSize,
      idleTimeoutMillis: 30_000,
      connectionTimeoutMillis: dbConnectTimeoutMs,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      statement_timeout: statementTimeoutMs,
      idle_in_transaction_session_timeout: 60_000,
    });
    // An error on a connection is also emitted as an event: on the client, and on the pool too while
    // the connection is idle. Unheard, Node would throw it and end the process. The query in
    // progress fails on its own (and answers 503); the dead connection is not reused.
    pool.on("connect", (client) => client.on("error", logConnectionLoss));
    pool.on("error", () => {}); // the same error, already logged by the client's listener
    globalForPool.opencmqPool = pool;
  }
  return globalForPool.opencmqPool;
}

function logConnectionLoss(error: Error & { code?: string }) {
  logger.warn({ err: { message: error.message, code: error.code } }, "a database connection failed; it is replaced");
}

export async function closePool(): Promise<void> {
  const pool = globalForPool.opencmqPool;
  globalForPool.opencmqPool = undefined;
  await pool?.end();
}
