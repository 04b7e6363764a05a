import { describe, expect, it, vi } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { fillInSettings } from "@/lib/config";
import { appErrorOfDatabaseError, isLockTimeout } from "@/lib/db/app-error-of";
import { getPool } from "@/lib/db/pool";
import { createQueueSchema, type DeadLetterInput, updateQueueSchema } from "@/lib/schemas/queue";
import { createTestPrincipal, createTestQueue, uniqueName } from "@/lib/testing/fixtures";
import { listDeadLetterSources } from "./dead-letters";
import { createQueue, deleteQueue, getQueue, updateQueue } from "./queues";

// Issue 10, part 1: binding dead-letter queues with CMQ's rules (reference/cmq-api.md §3).

const byReceives = (queue: string, maxReceiveCount = 3): DeadLetterInput => ({
  queue,
  policy: "maxReceiveCount",
  maxReceiveCount,
});

const codeOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
    return "ok";
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
};

const codesOf = (results: PromiseSettledResult<unknown>[]) =>
  results.map((r) => (r.status === "fulfilled" ? "ok" : ((r.reason as { code?: string }).code ?? String(r.reason))));

/** The queue's binding columns as stored, to show that a refusal changed nothing. */
const storedBinding = async (queueId: string) =>
  (
    await getPool().query(
      `SELECT dead_letter_queue_id::text AS dlq, dead_letter_policy AS policy, max_receive_count, max_time_to_live
       FROM queue WHERE id = $1`,
      [queueId],
    )
  ).rows[0];

describe("binding a dead-letter queue", () => {
  it("binds on create and on update, answers it in the Queue, and unbinds with deadLetter: null", async () => {
    const p = await createTestPrincipal();
    const dlq = await createTestQueue(p);
    const source = await createTestQueue(p, { deadLetter: byReceives(dlq.name.toUpperCase(), 5) });
    expect(source.deadLetter).toEqual({
      queue: dlq.name,
      queueId: dlq.id,
      policy: "maxReceiveCount",
      maxReceiveCount: 5,
      maxTimeToLive: null,
    });
    expect(source.counts).toEqual({ visible: 0, inFlight: 0, delayed: 0, rewindable: 0, dead: 0 });

    const other = await createTestQueue(p);
    // The other policy's field, if given, is not kept: what is answered is what applies.
    const rebound = await updateQueue(p, {
      queueName: other.name,
      changes: { deadLetter: { queue: dlq.name, policy: "maxTimeToLive", maxTimeToLive: 300, maxReceiveCount: 4 } },
    });
    expect(rebound.deadLetter).toEqual({
      queue: dlq.name,
      queueId: dlq.id,
      policy: "maxTimeToLive",
      maxReceiveCount: null,
      maxTimeToLive: 300,
    });
    // Changing other attributes keeps the binding.
    expect((await updateQueue(p, { queueName: other.name, changes: { visibilityTimeout: 9 } })).deadLetter).toEqual(
      rebound.deadLetter,
    );
    const sources = await listDeadLetterSources(p, { queueName: dlq.name, offset: 0, limit: 20 });
    expect(sources).toEqual({
      queues: [
        { id: other.id, name: other.name },
        { id: source.id, name: source.name },
      ],
      total: 2,
    });
    expect(
      await listDeadLetterSources(p, { queueName: dlq.name, search: other.name.slice(-6), offset: 0, limit: 20 }),
    ).toEqual({ queues: [{ id: other.id, name: other.name }], total: 1 });

    const unbound = await updateQueue(p, { queueName: other.name, changes: { deadLetter: null } });
    expect(unbound.deadLetter).toBeNull();
    expect(await storedBinding(other.id)).toEqual({
      dlq: null,
      policy: null,
      max_receive_count: null,
      max_time_to_live: null,
    });
    expect((await listDeadLetterSources(p, { queueName: dlq.name, offset: 0, limit: 20 })).total).toBe(1);
  });

  it("refuses CMQ's forbidden bindings with their codes, changing nothing", async () => {
    const p = await createTestPrincipal();
    const dlq = await createTestQueue(p);
    const source = await createTestQueue(p, { msgRetentionSeconds: 3600 });
    const bindSource = (deadLetter: DeadLetterInput, changes = {}) =>
      codeOf(updateQueue(p, { queueName: source.name, changes: { deadLetter, ...changes } }));

    expect(await bindSource(byReceives(source.name))).toBe("INVALID_INPUT"); // itself
    expect(await bindSource(byReceives("no-such-queue"))).toBe("QUEUE_NOT_FOUND");
    // maxTimeToLive must stay below the source's retention, also when both change together.
    expect(await bindSource({ queue: dlq.name, policy: "maxTimeToLive", maxTimeToLive: 3600 })).toBe("INVALID_INPUT");
    expect(
      await bindSource(
        { queue: dlq.name, policy: "maxTimeToLive", maxTimeToLive: 3000 },
        { msgRetentionSeconds: 2000 },
      ),
    ).toBe("INVALID_INPUT");
    // No chains: a DLQ that has a DLQ, and a queue that is a DLQ getting one.
    const chained = await createTestQueue(p);
    await updateQueue(p, { queueName: dlq.name, changes: { deadLetter: byReceives(chained.name) } });
    expect(await bindSource(byReceives(dlq.name))).toBe("DEAD_LETTER_NESTED");
    await updateQueue(p, { queueName: dlq.name, changes: { deadLetter: null } });
    await updateQueue(p, { queueName: source.name, changes: { deadLetter: byReceives(dlq.name) } });
    expect(
      await codeOf(updateQueue(p, { queueName: dlq.name, changes: { deadLetter: byReceives(chained.name) } })),
    ).toBe("DEAD_LETTER_NESTED");
    expect(await codeOf(createTestQueue(p, { deadLetter: byReceives(source.name) }))).toBe("DEAD_LETTER_NESTED");
    // Retention cannot shrink under a bound maxTimeToLive.
    await updateQueue(p, {
      queueName: source.name,
      changes: { deadLetter: { queue: dlq.name, policy: "maxTimeToLive", maxTimeToLive: 1800 } },
    });
    expect(await codeOf(updateQueue(p, { queueName: source.name, changes: { msgRetentionSeconds: 1800 } }))).toBe(
      "INVALID_INPUT",
    );
    expect(await storedBinding(source.id)).toEqual({
      dlq: dlq.id,
      policy: 1,
      max_receive_count: null,
      max_time_to_live: 1800,
    });
    expect(await storedBinding(dlq.id)).toEqual({
      dlq: null,
      policy: null,
      max_receive_count: null,
      max_time_to_live: null,
    });
    expect((await getQueue(p, source.name)).msgRetentionSeconds).toBe(3600);
  });

  it("a bound dead-letter queue cannot be deleted; unbound, it can", async () => {
    const p = await createTestPrincipal();
    const dlq = await createTestQueue(p);
    const source = await createTestQueue(p, { deadLetter: byReceives(dlq.name) });
    expect(await codeOf(deleteQueue(p, dlq.name))).toBe("DEAD_LETTER_IN_USE");
    expect((await getQueue(p, dlq.name)).id).toBe(dlq.id);
    // The source itself may go; its DLQ is then free.
    await deleteQueue(p, source.name);
    await deleteQueue(p, dlq.name);
    expect(await codeOf(getQueue(p, dlq.name))).toBe("QUEUE_NOT_FOUND");
  });

  it("a dead-letter queue the caller may not see does not exist for it", async () => {
    const owner = await createTestPrincipal();
    const hidden = await createTestQueue(owner, { name: uniqueName("hidden") });
    const mine = await createTestQueue(owner, { name: uniqueName("mine") });
    const developer: Principal = {
      ...owner,
      access: {
        role: "developer",
        statements: [{ effect: "allow", actions: ["queue:*"], resources: ["mine-*"] }],
        keyPermissions: [],
      },
    };
    expect(
      await codeOf(updateQueue(developer, { queueName: mine.name, changes: { deadLetter: byReceives(hidden.name) } })),
    ).toBe("QUEUE_NOT_FOUND");
    expect(await codeOf(listDeadLetterSources(developer, { queueName: hidden.name, offset: 0, limit: 20 }))).toBe(
      "QUEUE_NOT_FOUND",
    );
    expect(await storedBinding(mine.id)).toMatchObject({ dlq: null });
  });

  it("schemas refuse out-of-range and unknown dead-letter fields (both APIs validate with them)", () => {
    const valid = { queue: "dlq", policy: "maxReceiveCount", maxReceiveCount: 1 };
    const cases: [string, unknown, boolean][] = [
      ["maxReceiveCount 1", valid, true],
      ["maxReceiveCount 1000", { ...valid, maxReceiveCount: 1000 }, true],
      ["maxReceiveCount 0", { ...valid, maxReceiveCount: 0 }, false],
      ["maxReceiveCount 1001", { ...valid, maxReceiveCount: 1001 }, false],
      ["maxReceiveCount 1.5", { ...valid, maxReceiveCount: 1.5 }, false],
      ["maxReceiveCount as text", { ...valid, maxReceiveCount: "3" }, false],
      ["policy without its field", { queue: "dlq", policy: "maxReceiveCount", maxTimeToLive: 300 }, false],
      ["maxTimeToLive 300", { queue: "dlq", policy: "maxTimeToLive", maxTimeToLive: 300 }, true],
      ["maxTimeToLive 43200", { queue: "dlq", policy: "maxTimeToLive", maxTimeToLive: 43_200 }, true],
      ["maxTimeToLive 299", { queue: "dlq", policy: "maxTimeToLive", maxTimeToLive: 299 }, false],
      ["maxTimeToLive 43201", { queue: "dlq", policy: "maxTimeToLive", maxTimeToLive: 43_201 }, false],
      ["unknown policy", { ...valid, policy: "sometimes" }, false],
      ["unknown field", { ...valid, color: "red" }, false],
      ["bad queue name", { ...valid, queue: "1bad" }, false],
      ["no queue", { policy: "maxReceiveCount", maxReceiveCount: 3 }, false],
    ];
    for (const [what, deadLetter, ok] of cases) {
      expect([what, updateQueueSchema.safeParse({ deadLetter }).success]).toEqual([what, ok]);
      expect([what, createQueueSchema.safeParse({ name: "q", deadLetter }).success]).toEqual([what, ok]);
    }
    expect(updateQueueSchema.safeParse({ deadLetter: null }).success).toBe(true);
  });
});

describe("dead-letter binding races", () => {
  it("12 concurrent binds to one DLQ give it exactly 6 sources", async () => {
    const p = await createTestPrincipal();
    const dlq = await createTestQueue(p);
    const sources = await Promise.all(Array.from({ length: 12 }, () => createTestQueue(p)));
    const results = await Promise.allSettled(
      sources.map((s) => updateQueue(p, { queueName: s.name, changes: { deadLetter: byReceives(dlq.name) } })),
    );
    expect(codesOf(results).sort()).toEqual([...Array(6).fill("DEAD_LETTER_SOURCES_EXCEEDED"), ...Array(6).fill("ok")]);
    expect((await listDeadLetterSources(p, { queueName: dlq.name, offset: 0, limit: 20 })).total).toBe(6);
    // Concurrent creates bound to it are refused as well.
    const creates = await Promise.allSettled(
      Array.from({ length: 3 }, () => createQueue(p, { name: uniqueName("c"), deadLetter: byReceives(dlq.name) })),
    );
    expect(codesOf(creates)).toEqual(Array(3).fill("DEAD_LETTER_SOURCES_EXCEEDED"));
  });

  it("concurrent binds A→B and B→C never make a chain (20 rounds)", async () => {
    const p = await createTestPrincipal();
    for (let round = 0; round < 20; round++) {
      const [a, b, c] = await Promise.all([createTestQueue(p), createTestQueue(p), createTestQueue(p)]);
      if (!a || !b || !c) throw new Error("queues not created");
      const results = await Promise.allSettled([
        updateQueue(p, { queueName: a.name, changes: { deadLetter: byReceives(b.name) } }),
        updateQueue(p, { queueName: b.name, changes: { deadLetter: byReceives(c.name) } }),
        // and a cycle attempt: C→A
        updateQueue(p, { queueName: c.name, changes: { deadLetter: byReceives(a.name) } }),
      ]);
      const codes = codesOf(results);
      expect(codes.filter((code) => code === "ok")).toHaveLength(1);
      expect(codes.filter((code) => code === "DEAD_LETTER_NESTED")).toHaveLength(2);
      const { rows } = await getPool().query<{ chains: number }>(
        `SELECT count(*)::int AS chains FROM queue s JOIN queue d ON d.id = s.dead_letter_queue_id
         WHERE d.dead_letter_queue_id IS NOT NULL AND s.id = ANY($1::bigint[])`,
        [[a.id, b.id, c.id]],
      );
      expect(rows[0]?.chains).toBe(0);
    }
  });

  it("deleting a DLQ while a bind to it runs: either the bind or the delete wins, never a broken binding", async () => {
    const p = await createTestPrincipal();
    for (let round = 0; round < 10; round++) {
      const dlq = await createTestQueue(p);
      const source = await createTestQueue(p);
      const results = await Promise.allSettled([
        updateQueue(p, { queueName: source.name, changes: { deadLetter: byReceives(dlq.name) } }),
        deleteQueue(p, dlq.name),
      ]);
      const codes = codesOf(results).join(" ");
      expect(["ok DEAD_LETTER_IN_USE", "QUEUE_NOT_FOUND ok"]).toContain(codes);
      const binding = await storedBinding(source.id);
      expect(binding?.dlq).toBe(codes.startsWith("ok") ? dlq.id : null);
    }
  });

  it("a bind behind a lock held past the lock timeout fails (55P03, answered UNAVAILABLE) and binds nothing", async () => {
    const p = await createTestPrincipal();
    const dlq = await createTestQueue(p);
    const source = await createTestQueue(p);
    vi.stubEnv("OPENCMQ_LOCK_TIMEOUT_MS", "300");
    fillInSettings({});
    const holder = await getPool().connect();
    try {
      await holder.query("BEGIN");
      await holder.query("SELECT 1 FROM queue WHERE id = $1 FOR UPDATE", [dlq.id]); // as a DeleteQueue does
      const error = await updateQueue(p, {
        queueName: source.name,
        changes: { deadLetter: byReceives(dlq.name) },
      }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(isLockTimeout(error)).toBe(true); // Prisma's P2010 around PostgreSQL's 55P03
      expect(appErrorOfDatabaseError(error)?.code).toBe("UNAVAILABLE");
      await holder.query("ROLLBACK");
    } finally {
      holder.release();
      vi.unstubAllEnvs();
      fillInSettings({});
    }
    expect((await storedBinding(source.id))?.dlq).toBeNull();
    expect(
      await codeOf(updateQueue(p, { queueName: source.name, changes: { deadLetter: byReceives(dlq.name) } })),
    ).toBe("ok");
  });
});
