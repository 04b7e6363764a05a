import { beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { getPool } from "@/lib/db/pool";
import { getPrisma } from "@/lib/db/prisma";
import { createTestPrincipal, createTestQueue, uniqueName } from "@/lib/testing/fixtures";
import { createKey, updateKey } from "./api-keys";
import { createQueue, deleteQueue, updateQueue } from "./queues";
import { createUser, setUserPolicy, updateUser } from "./users";

// DESIGN.md §4.7: a change and its audit row commit together or not at all. A trigger makes the
// audit insert fail for rows that mention "auditfail"; every change it records must then not happen.

beforeAll(async () => {
  await getPool().query(`
    CREATE OR REPLACE FUNCTION test_refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'audit store refused the row (test)'; END $$;
    DROP TRIGGER IF EXISTS test_refuse_audit ON audit_event;
    CREATE TRIGGER test_refuse_audit BEFORE INSERT ON audit_event FOR EACH ROW
      WHEN (NEW.resource_name LIKE 'auditfail%' OR NEW.details::text LIKE '%auditfail%')
      EXECUTE FUNCTION test_refuse_audit();`);
});

const failing = () => uniqueName("auditfail");
const refused = /audit store refused the row/;

/** A queue made behind the services' back (its own audit row would be refused). */
async function rawQueue(p: Principal, name: string) {
  await getPool().query(
    `INSERT INTO queue (account_id, name, visibility_timeout, polling_wait_seconds, max_msg_size, msg_retention_seconds, max_msg_heap_num, rewind_seconds)
     VALUES ($1, $2, 30, 0, 65536, 345600, 1000000, 0)`,
    [p.accountId, name],
  );
}

describe("a failed audit write fails the change it records", () => {
  it("creates no queue", async () => {
    const p = await createTestPrincipal();
    const name = failing();
    await expect(createQueue(p, { name })).rejects.toThrow(refused);
    expect(await getPrisma().queue.count({ where: { accountId: p.accountId, name } })).toBe(0);
  });

  it("leaves the queue's attributes and the queue itself in place", async () => {
    const p = await createTestPrincipal();
    const name = failing();
    await rawQueue(p, name);
    await expect(updateQueue(p, { queueName: name, changes: { visibilityTimeout: 99 } })).rejects.toThrow(refused);
    await expect(deleteQueue(p, name)).rejects.toThrow(refused);
    const queue = await getPrisma().queue.findFirst({ where: { accountId: p.accountId, name } });
    expect(queue?.visibilityTimeout).toBe(30);
  });

  it("creates no user, changes no user and sets no policy", async () => {
    const p = await createTestPrincipal();
    const email = `${failing()}@test.local`;
    await expect(createUser(p, { email, name: "X", role: "developer", password: "a-long-password" })).rejects.toThrow(
      refused,
    );
    expect(await getPrisma().user.count({ where: { email } })).toBe(0);

    const target = await getPrisma().user.create({
      data: { accountId: p.accountId, email, name: "X", role: "developer", passwordHash: "x" },
    });
    await expect(updateUser(p, { userId: target.id, changes: { role: "readonly" } })).rejects.toThrow(refused);
    const statements = [{ effect: "allow" as const, actions: ["queue:*"], resources: ["auditfail-*"] }];
    await expect(setUserPolicy(p, { userId: target.id, statements })).rejects.toThrow(refused);
    const after = await getPrisma().user.findUniqueOrThrow({ where: { id: target.id }, include: { policies: true } });
    expect({ role: after.role, sessionGeneration: after.sessionGeneration, policies: after.policies }).toEqual({
      role: "developer",
      sessionGeneration: 0,
      policies: [],
    });
  });

  it("creates no API key and leaves a key enabled", async () => {
    const p = await createTestPrincipal();
    await expect(createKey(p, { description: "auditfail", permissions: [] })).rejects.toThrow(refused);
    expect(await getPrisma().apiKey.count({ where: { userId: p.userId } })).toBe(0);

    const key = await createKey(p, { description: "kept", permissions: [] });
    await expect(
      updateKey(p, { keyId: key.id, changes: { isDisabled: true, description: "auditfail" } }),
    ).rejects.toThrow(refused);
    expect(await getPrisma().apiKey.findUniqueOrThrow({ where: { id: key.id } })).toMatchObject({
      isDisabled: false,
      description: "kept",
    });
  });

  it("records the change and its audit row together when the audit succeeds", async () => {
    const p = await createTestPrincipal();
    const q = await createTestQueue(p);
    await deleteQueue(p, q.name);
    const rows = await getPrisma().auditEvent.findMany({
      where: { accountId: p.accountId, resourceName: q.name },
      orderBy: { id: "asc" },
    });
    expect(rows.map((r) => [r.action, r.outcome])).toEqual([
      ["queue.create", "success"],
      ["queue.delete", "success"],
    ]);
  });
});
