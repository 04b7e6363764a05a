import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { getPool } from "@/lib/db/pool";
import type { DatabaseHealth } from "@/lib/schemas/database-health";
import { databaseHealthSchema } from "@/lib/schemas/database-health";
import { createTestPrincipal, uniqueName } from "@/lib/testing/fixtures";
import { assessDatabaseHealth, getDatabaseHealth, healthThresholds } from "./database-health";

// Against the real PostgreSQL of the test run: a table with known live and dead rows, a session
// holding a snapshot open, a replication slot — each must show up with its figures.

const opened: pg.Client[] = [];
afterAll(async () => {
  for (const client of opened) await client.end().catch(() => {});
});

async function session(applicationName: string) {
  const client = new pg.Client({ connectionString: inject("databaseUrl"), application_name: applicationName });
  await client.connect();
  opened.push(client);
  return client;
}

const withRole = (p: Principal, role: Principal["access"]["role"]): Principal => ({
  ...p,
  access: { ...p.access, role },
});

describe("getDatabaseHealth", () => {
  it("reports a table's exact live and dead rows, sizes and the answer's shape", async () => {
    const p = await createTestPrincipal();
    const table = uniqueName("health_probe").replaceAll("-", "_");
    const writer = await session("health-writer");
    // Autovacuum off for this table: its dead rows stay until we look.
    await writer.query(`CREATE TABLE ${table} (id int PRIMARY KEY, pad text) WITH (autovacuum_enabled = false)`);
    await writer.query(`INSERT INTO ${table} SELECT g, repeat('x', 100) FROM generate_series(1, 1000) g`);
    await writer.query(`DELETE FROM ${table} WHERE id <= 400`);
    // Statistics reach the shared views when the session flushes them (at most every second).
    await writer.query("SELECT pg_stat_force_next_flush()");
    await writer.query("SELECT 1");

    await expect
      .poll(async () => (await getDatabaseHealth(p)).tables.find((t) => t.name === table)?.deadRows, {
        timeout: 10_000,
      })
      .toBe(400);
    const health = await getDatabaseHealth(p);
    expect(databaseHealthSchema.parse(health)).toEqual(health);
    const probe = health.tables.find((t) => t.name === table);
    expect(probe).toMatchObject({ liveRows: 600, deadRows: 400, deadRatio: 0.4, lastAutovacuum: null });
    expect(probe?.tableBytes).toBeGreaterThanOrEqual(8192 * 10); // 1,000 rows of ~130 bytes span many 8 KiB pages
    expect(probe?.indexBytes).toBeGreaterThanOrEqual(8192);
    expect(health.indexes).toContainEqual(expect.objectContaining({ name: `${table}_pkey`, table }));
    // The app's own tables are there too.
    expect(health.tables.map((t) => t.name)).toEqual(expect.arrayContaining(["message", "queue", "audit_event"]));
    expect(health.serverVersion).toMatch(/^\d+/);
    expect(health.connections.max).toBeGreaterThan(0);
    expect(health.connections.used).toBeGreaterThanOrEqual(2);
    expect(health.isComplete).toBe(true);

    await writer.query(`VACUUM ${table}`);
    await writer.query("SELECT pg_stat_force_next_flush()");
    await writer.query("SELECT 1");
    await expect
      .poll(async () => (await getDatabaseHealth(p)).tables.find((t) => t.name === table), { timeout: 10_000 })
      .toMatchObject({ deadRows: 0, liveRows: 600 });
    expect((await getDatabaseHealth(p)).tables.find((t) => t.name === table)?.lastVacuum).not.toBeNull();
    await writer.query(`DROP TABLE ${table}`);
  });

  it("names the session whose open transaction holds vacuum back, oldest first", async () => {
    const p = await createTestPrincipal();
    const name = uniqueName("holder");
    const holder = await session(name);
    await holder.query("BEGIN ISOLATION LEVEL REPEATABLE READ");
    await holder.query("SELECT 1"); // takes the snapshot
    const pid = String((await holder.query("SELECT pg_backend_pid() AS pid")).rows[0].pid);
    // Transactions after its snapshot make its xmin older than anyone else's.
    for (let i = 0; i < 5; i++) await getPool().query("SELECT txid_current()");

    const health = await getDatabaseHealth(p);
    const first = health.horizonHolders[0];
    expect(first).toMatchObject({ kind: "transaction", id: pid, label: name, state: "idle in transaction" });
    expect(first?.xminAge).toBeGreaterThanOrEqual(5);
    expect(first?.ageSeconds).toBeGreaterThanOrEqual(0);

    await holder.query("COMMIT");
    const after = await getDatabaseHealth(p);
    expect(after.horizonHolders.some((h) => h.kind === "transaction" && h.id === pid)).toBe(false);
  });

  it("lists a replication slot and the WAL it keeps", async () => {
    const p = await createTestPrincipal();
    const slot = uniqueName("slot").replaceAll("-", "_");
    await getPool().query("SELECT pg_create_physical_replication_slot($1, true)", [slot]);
    try {
      const health = await getDatabaseHealth(p);
      const found = health.horizonHolders.find((h) => h.kind === "slot" && h.id === slot);
      expect(found).toMatchObject({ label: "physical", state: "inactive", xminAge: null, ageSeconds: null });
      expect(found?.retainedWalBytes).toBeGreaterThanOrEqual(0);
    } finally {
      await getPool().query("SELECT pg_drop_replication_slot($1)", [slot]);
    }
  });

  it("needs monitor:database: owners and admins have it, developers and read-only users get FORBIDDEN", async () => {
    const p = await createTestPrincipal();
    await expect(getDatabaseHealth(withRole(p, "admin"))).resolves.toHaveProperty("tables");
    for (const role of ["developer", "readonly"] as const) {
      await expect(getDatabaseHealth(withRole(p, role))).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    // An owner's API key narrowed to other permissions does not reach it either.
    const narrowed: Principal = { ...p, access: { ...p.access, keyPermissions: ["queue:*", "monitor:read"] } };
    await expect(getDatabaseHealth(narrowed)).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("assessDatabaseHealth", () => {
  const quiet: Omit<DatabaseHealth, "warnings"> = {
    at: "2026-11-25T10:00:00.000Z",
    serverVersion: "18.4",
    databaseBytes: 10_000_000,
    transactionIdAge: 1000,
    freezeMaxAge: 200_000_000,
    tables: [
      {
        name: "message",
        tableBytes: 1,
        indexBytes: 1,
        liveRows: 100_000,
        deadRows: 9_999,
        deadRatio: 9_999 / 109_999,
        lastVacuum: null,
        lastAutovacuum: null,
        lastAnalyze: null,
        lastAutoanalyze: null,
        autovacuumCount: 0,
      },
    ],
    indexes: [],
    horizonHolders: [
      {
        kind: "transaction",
        id: "42",
        label: "psql",
        state: "idle in transaction",
        xminAge: 10,
        ageSeconds: 299,
        retainedWalBytes: null,
      },
    ],
    connections: { used: 79, max: 103, reserved: 3, byState: { active: 79 }, appMax: 20 },
    isComplete: true,
  };

  it("says nothing while every signal is below its threshold", () => {
    expect(assessDatabaseHealth(quiet)).toEqual([]);
  });

  it("warns of dead rows, an old transaction, a slot, connections and transaction-id age", () => {
    const [table] = quiet.tables;
    const [holder] = quiet.horizonHolders;
    if (!table || !holder) throw new Error("fixture");
    const loud: Omit<DatabaseHealth, "warnings"> = {
      ...quiet,
      transactionIdAge: 400_000_000,
      tables: [{ ...table, liveRows: 30_000, deadRows: 20_000, deadRatio: 0.4 }],
      horizonHolders: [
        { ...holder, ageSeconds: healthThresholds.horizonSeconds + 60 },
        {
          kind: "slot",
          id: "standby_1",
          label: "physical",
          state: "inactive",
          xminAge: 500,
          ageSeconds: null,
          retainedWalBytes: 10,
        },
      ],
      connections: { ...quiet.connections, used: 80 },
    };
    expect(assessDatabaseHealth(loud)).toEqual([
      { signal: "deadRows", message: "message: 20,000 dead rows (40 %) wait for vacuum." },
      {
        signal: "horizon",
        message: "Session 42 (psql) has kept a transaction open for 6 min: vacuum cannot remove rows deleted since.",
      },
      {
        signal: "slot",
        message: "Replication slot standby_1 is inactive and holds back vacuum: drop it if its consumer is gone.",
      },
      { signal: "connections", message: "80 of 100 connections are in use (80 %)." },
      {
        signal: "wraparound",
        message:
          "Transaction IDs are 400,000,000 old, twice autovacuum_freeze_max_age: freezing vacuums are not keeping up.",
      },
    ]);
  });

  it("warns when the app alone may open more connections than the server allows", () => {
    const warnings = assessDatabaseHealth({ ...quiet, connections: { ...quiet.connections, used: 5, appMax: 120 } });
    expect(warnings).toEqual([
      {
        signal: "connections",
        message: "This app may open 120 connections (processes × pool size), more than the 100 the server allows.",
      },
    ]);
  });
});
