import pg from "pg";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { getPool } from "./pool";
import { isDatabaseUnavailable } from "./unavailable";

// Issue 9, item 15: a process holding only raw pool connections exited when PostgreSQL terminated an
// idle one (pg-pool emits "error" on the pool; with no listener, Node throws it).
describe("the connection pool through a database restart", () => {
  it("an idle pooled connection terminated by the server (57P01) is replaced; the process lives on", async () => {
    const pool = getPool();
    const held = await Promise.all([pool.connect(), pool.connect()]);
    const pids = await Promise.all(
      held.map(async (c) => (await c.query("SELECT pg_backend_pid() AS pid")).rows[0].pid),
    );
    for (const c of held) c.release(); // idle in the pool now
    const killer = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await killer.connect();
    await killer.query("SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid", [pids]);
    await killer.end();
    await new Promise((r) => setTimeout(r, 300));
    const { rows } = await pool.query("SELECT pg_backend_pid() AS pid");
    expect(pids).not.toContain(rows[0].pid);
  });

  it("a statement cut by the server's restart is recognised as an outage, not a bug", async () => {
    const pool = getPool();
    const client = await pool.connect();
    const { rows } = await client.query("SELECT pg_backend_pid() AS pid");
    const running = client.query("SELECT pg_sleep(5)").catch((error: unknown) => error);
    const killer = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await killer.connect();
    await new Promise((r) => setTimeout(r, 200));
    await killer.query("SELECT pg_terminate_backend($1)", [rows[0].pid]);
    await killer.end();
    const error = await running;
    client.release(error as Error);
    expect((error as { code?: string }).code).toBe("57P01");
    expect(isDatabaseUnavailable(error)).toBe(true);
  });
});

describe("isDatabaseUnavailable", () => {
  const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), {
    code: "ECONNREFUSED",
    errno: -111,
    syscall: "connect",
  });
  it.each([
    ["a refused connection", refused],
    ["pg's terminated connection", new Error("Connection terminated unexpectedly")],
    ["pg's connect timeout", new Error("Connection terminated due to connection timeout")],
    ["pg-pool's wait for a connection", new Error("timeout exceeded when trying to connect")],
    ["the server starting up", Object.assign(new Error("the database system is starting up"), { code: "57P03" })],
    [
      "a statement timeout",
      Object.assign(new Error("canceling statement due to statement timeout"), { code: "57014" }),
    ],
    [
      "Prisma P1001 (driver adapter: not reachable)",
      Object.assign(new Error("Can't reach database server at 127.0.0.1:59999"), {
        code: "P1001",
        meta: { driverAdapterError: { name: "DriverAdapterError", cause: { kind: "DatabaseNotReachable" } } },
      }),
    ],
    [
      "Prisma P1017 (server closed the connection)",
      Object.assign(new Error("Server has closed the connection."), { code: "P1017" }),
    ],
    [
      "a driver adapter error around 57P01",
      Object.assign(new Error("x"), { name: "DriverAdapterError", cause: { kind: "postgres", code: "57P01" } }),
    ],
    ["an error whose cause is a refused connection", new Error("query failed", { cause: refused })],
  ])("%s is an outage", (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ["a unique violation", Object.assign(new Error("duplicate key"), { code: "23505" })],
    ["a foreign-key violation", Object.assign(new Error("violates foreign key"), { code: "23503" })],
    ["a Prisma not-found", Object.assign(new Error("No record found"), { code: "P2025" })],
    ["a service error", new AppError("QUEUE_NOT_FOUND", "no such queue")],
    ["a bug", new TypeError("cannot read properties of undefined")],
    ["nothing", undefined],
  ])("%s is not", (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
