import { cpSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type pg from "pg";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { migrationsDir } from "./migrate";
import { getPool } from "./pool";
import { checkReadiness, probeReadiness, requiredStandbys } from "./readiness";

// /api/health/ready's checks against the test database (a primary without standbys, migrated by the
// test set-up). The replication branch with real standbys is exercised by the fault suite
// (`npm run test:faults`, case e: a synchronous standby dies → not ready, 1 of 2 streaming).

describe("standbys a commit waits for, from synchronous_standby_names", () => {
  it.each([
    ["", 0],
    ["   ", 0],
    ["ANY 2 (s1, s2)", 2],
    ["any 1 (s1, s2, s3)", 1],
    ["FIRST 2 (a, b, c)", 2],
    ["3 (a, b, c)", 3],
    ["s1, s2", 1],
    ["*", 1],
  ])("%j → %i", (setting, expected) => {
    expect(requiredStandbys(setting)).toBe(expected);
  });
});

describe("readiness of this database", () => {
  const scratch = mkdtempSync(path.join(tmpdir(), "opencmq-ready-"));
  let client: pg.PoolClient;
  beforeEach(async () => {
    client = await getPool().connect();
  });
  afterEach(() => client.release());
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("ready: a primary with every migration applied and no synchronous replication configured", async () => {
    const readiness = await checkReadiness(client);
    expect(readiness.isReady).toBe(true);
    expect(readiness.problems).toEqual([]);
    expect(readiness.database).toMatchObject({ ok: true, isPrimary: true });
    expect(readiness.migrations.ok).toBe(true);
    expect(readiness.migrations.missing).toEqual([]);
    expect(readiness.migrations.expected).toBeGreaterThan(0);
    expect(readiness.migrations.applied).toBeGreaterThanOrEqual(readiness.migrations.expected);
    expect(readiness.replication).toBeNull();
  });

  it("not ready when this build ships a migration the database does not have (an upgrade not yet migrated)", async () => {
    const dir = path.join(scratch, "migrations");
    cpSync(migrationsDir, dir, { recursive: true });
    const name = "99991231000000_not_applied_yet";
    mkdirSync(path.join(dir, name));
    const readiness = await checkReadiness(client, dir);
    expect(readiness.isReady).toBe(false);
    expect(readiness.migrations).toMatchObject({ ok: false, missing: [name] });
    expect(readiness.problems).toEqual(["1 migration(s) not applied"]);
  });

  it("the probe opens a connection of its own (not the pool's) and closes it", async () => {
    const readiness = await probeReadiness();
    expect([readiness.isReady, readiness.problems]).toEqual([true, []]);
    const probes = async () =>
      (
        await client.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'opencmq-ready'",
        )
      ).rows[0]?.n;
    await expect.poll(probes, { timeout: 3000 }).toBe(0);
  });
});
