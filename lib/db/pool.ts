import pg from "pg";

// int8 columns (message ids, counts) arrive as strings; keep them that way (ids are opaque strings
// in both APIs) and convert counts explicitly where they are numbers.

const globalForPool = globalThis as unknown as { opencmqPool?: pg.Pool };

/** The process's one connection pool, shared by the hot-path SQL and Prisma's adapter. */
export function getPool(): pg.Pool {
  if (!globalForPool.opencmqPool) {
    const connectionString = process.env.DATABASE_URL;
    if (!connectionString) throw new Error("DATABASE_URL is not set: start the service with `npm start`.");
    globalForPool.opencmqPool = new pg.Pool({
      connectionString,
      max: Number(process.env.OPENCMQ_POOL_SIZE ?? 10),
      idleTimeoutMillis: 30_000,
    });
  }
  return globalForPool.opencmqPool;
}

export async function closePool(): Promise<void> {
  const pool = globalForPool.opencmqPool;
  globalForPool.opencmqPool = undefined;
  await pool?.end();
}
