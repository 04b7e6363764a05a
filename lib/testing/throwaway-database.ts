import { randomBytes } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";

// Tests run against a real PostgreSQL: the embedded one in .data/test-pg (or TEST_DATABASE_URL's
// server), each run on its own freshly migrated database that is dropped afterwards.

export const testPgPort = Number(process.env.OPENCMQ_TEST_PG_PORT ?? 54330);

export async function createThrowawayDatabase(label: string) {
  const name = `t_${label}_${Date.now()}_${randomBytes(3).toString("hex")}`;
  let serverUrl = process.env.TEST_DATABASE_URL;
  let stopServer = async () => {};
  if (!serverUrl) {
    const server = await startEmbeddedPostgres({
      dataDir: path.join(process.cwd(), ".data", "test-pg"),
      port: testPgPort,
      database: "postgres",
    });
    serverUrl = server.url;
    stopServer = server.stop;
  }
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  await migrate(url.toString());
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
      await stopServer();
    },
  };
}
