import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { loadServerSecrets } from "@/lib/config";
import { testPgPort } from "@/lib/testing/throwaway-database";
import { startEmbeddedPostgres } from "./embedded";

// Issue 9, item 20: the embedded PostgreSQL superuser had the fixed password `postgres` on
// 127.0.0.1, so any local process could read and change every queue. `npm start` now generates a
// password with the other secrets; clusters created with the old password are moved to the new one.

const canLogIn = async (port: number, password: string) => {
  const client = new pg.Client({ host: "127.0.0.1", port, user: "postgres", password, database: "postgres" });
  try {
    await client.connect();
    await client.end();
    return "accepted";
  } catch (error) {
    return (error as { code?: string }).code === "28P01" ? "wrong password" : `failed: ${String(error)}`;
  }
};

describe("embedded PostgreSQL password", () => {
  it("a secrets file from before gains a generated PostgreSQL password and keeps its other secrets", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "opencmq-secrets-"));
    try {
      const file = path.join(dir, "secrets.json");
      writeFileSync(file, JSON.stringify({ masterKey: "old-master", nextAuthSecret: "old-auth" }), { mode: 0o600 });
      // No secret given (none in the environment): the file's are kept.
      const first = loadServerSecrets(dir);
      expect(first.masterKey).toBe("old-master");
      expect(first.nextAuthSecret).toBe("old-auth");
      expect(first.pgPassword).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(loadServerSecrets(dir).pgPassword).toBe(first.pgPassword);
      expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({
        masterKey: "old-master",
        nextAuthSecret: "old-auth",
        pgPassword: first.pgPassword,
      });
      expect(statSync(file).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a cluster with the old fixed password `postgres` refuses it once started with a generated one", async () => {
    const port = testPgPort + 1000;
    const dataDir = path.join(process.cwd(), ".data", `password-test-${port}`);
    rmSync(dataDir, { recursive: true, force: true });
    try {
      // As created by earlier versions: the fixed password.
      const legacy = await startEmbeddedPostgres({ dataDir, port, database: "opencmq" });
      expect(await canLogIn(port, "postgres")).toBe("accepted");
      await legacy.stop();

      const generated = `gen-${Math.random().toString(36).slice(2)}`;
      const db = await startEmbeddedPostgres({ dataDir, port, database: "opencmq", password: generated });
      try {
        expect(await canLogIn(port, "postgres")).toBe("wrong password");
        expect(await canLogIn(port, generated)).toBe("accepted");
        expect(new URL(db.url).password).toBe(generated);
        // A second process sharing the running cluster (npm run admin beside npm start) connects too.
        const again = await startEmbeddedPostgres({ dataDir, port, database: "opencmq", password: generated });
        await again.stop(); // shared: leaves the server running
        expect(await canLogIn(port, generated)).toBe("accepted");
      } finally {
        await db.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
