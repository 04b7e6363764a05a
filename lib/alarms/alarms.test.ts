import { afterEach, describe, expect, it } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { getPool } from "@/lib/db/pool";
import { verifyPushSignature } from "@/lib/push/signature";
import { startReceiver } from "@/lib/push/testing";
import type { CreateAlarmRuleInput } from "@/lib/schemas/alarm";
import { createAlarmRuleSchema, queueAlarmKinds } from "@/lib/schemas/alarm";
import { createAlarmRule, deleteAlarmRule, listAlarmEvents } from "@/lib/services/alarms";
import {
  claimDueNotifications,
  type Reading,
  readDatabaseSignals,
  readQueueValue,
  readSingleQueueValues,
  selectEnabledRules,
} from "@/lib/store/alarms";
import { refreshQueueStats } from "@/lib/store/sweeps";
import { createTestPrincipal, createTestQueue, uniqueName } from "@/lib/testing/fixtures";
import { alarmLockKey, createAlarmsWorker } from "@/lib/workers/alarms";
import { runLocked } from "@/lib/workers/worker";
import { alarmEventHeader, deliverAlarmNotifications } from "./notify";
import { evaluateAlarmRules } from "./run";

// Evaluation against real data in the embedded PostgreSQL: each rule kind, the transitions and their
// "for" durations, one event per transition with two evaluators, signed webhooks to a local receiver.

const pool = () => getPool();
/** This file's accounts: its evaluations and deliveries leave other files' rules alone. */
const accounts: string[] = [];
async function ownerPrincipal(): Promise<Principal> {
  const principal = await createTestPrincipal();
  accounts.push(principal.accountId);
  return principal;
}
const receivers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function rule(
  principal: Principal,
  input: Partial<CreateAlarmRuleInput> & Pick<CreateAlarmRuleInput, "kind" | "scope">,
) {
  return createAlarmRule(
    principal,
    createAlarmRuleSchema.parse({ name: uniqueName("alarm"), threshold: 0, forSeconds: 0, ...input }),
  );
}

async function stateOf(id: string) {
  const { rows } = await pool().query("SELECT state, last_value, last_subject FROM alarm_rule WHERE id = $1", [id]);
  return rows[0] as { state: string; last_value: number | null; last_subject: string | null };
}

async function events(id: string) {
  const { rows } = await pool().query(
    "SELECT from_state, to_state, value, subject, notify_status FROM alarm_event WHERE rule_id = $1 ORDER BY id",
    [id],
  );
  return rows.map((r) => `${r.from_state}→${r.to_state}`);
}

async function addMessages(queueId: string, n: number, extra = "") {
  await pool().query(
    `INSERT INTO message (queue_id, body, visible_at${extra ? `, ${extra.split("=")[0]}` : ""})
     SELECT $1, 'm' || g, now()${extra ? `, ${extra.split("=")[1]}` : ""} FROM generate_series(1, $2) g`,
    [queueId, n],
  );
  await refreshQueueStats(pool(), 0);
}

async function evaluate() {
  const client = await pool().connect();
  try {
    return await evaluateAlarmRules(client, accounts);
  } finally {
    client.release();
  }
}

/** Pretends the rule entered its state `seconds` ago (the database's clock measures "for"). */
const age = (id: string, seconds: number) =>
  pool().query("UPDATE alarm_rule SET state_since = state_since - $2 * interval '1 second' WHERE id = $1", [
    id,
    seconds,
  ]);

describe("alarm evaluation", () => {
  it("backlog > N for D: ok → pending → firing after D → resolved when drained, each transition once", async () => {
    const owner = await ownerPrincipal();
    const queue = await createTestQueue(owner);
    const created = await rule(owner, {
      kind: "backlogVisible",
      scope: { type: "queue", queue: queue.name },
      threshold: 5,
      forSeconds: 120,
    });
    await addMessages(queue.id, 3);
    await evaluate();
    expect(await stateOf(created.id)).toEqual({ state: "ok", last_value: 3, last_subject: queue.name });

    await addMessages(queue.id, 4);
    await evaluate();
    expect((await stateOf(created.id)).state).toBe("pending");
    await evaluate(); // still within D
    expect((await stateOf(created.id)).state).toBe("pending");
    await age(created.id, 121);
    await evaluate();
    expect(await stateOf(created.id)).toEqual({ state: "firing", last_value: 7, last_subject: queue.name });
    await evaluate();
    expect((await stateOf(created.id)).state).toBe("firing");

    await pool().query("DELETE FROM message WHERE queue_id = $1", [queue.id]);
    await refreshQueueStats(pool(), 0);
    await evaluate();
    expect(await stateOf(created.id)).toEqual({ state: "ok", last_value: 0, last_subject: queue.name });
    expect(await events(created.id)).toEqual(["ok→pending", "pending→firing", "firing→ok"]);

    const history = await listAlarmEvents(owner, { rule: created.id, limit: 50 });
    expect(history.events.map((e) => [e.fromState, e.toState, e.value])).toEqual([
      ["firing", "ok", 0],
      ["pending", "firing", 7],
      ["ok", "pending", 7],
    ]);
    expect(history.events[1]?.message).toBe(`Firing: visible messages 7 > 5 on ${queue.name} (for 120 s)`);
  });

  it("a pending rule whose condition clears before D goes back to ok without firing", async () => {
    const owner = await ownerPrincipal();
    const queue = await createTestQueue(owner);
    const created = await rule(owner, {
      kind: "backlogTotal",
      scope: { type: "queue", queue: queue.name },
      threshold: 1,
      forSeconds: 60,
    });
    await addMessages(queue.id, 2);
    await evaluate();
    await pool().query("DELETE FROM message WHERE queue_id = $1", [queue.id]);
    await refreshQueueStats(pool(), 0);
    await evaluate();
    expect(await events(created.id)).toEqual(["ok→pending", "pending→ok"]);
  });

  it("oldest message age, dead letters, and a name pattern take the worst matching queue", async () => {
    const owner = await ownerPrincipal();
    const prefix = uniqueName("pat");
    const old = await createTestQueue(owner, { name: `${prefix}-old` });
    const other = await createTestQueue(owner, { name: `${prefix}-new` });
    const outside = await createTestQueue(owner);
    await addMessages(old.id, 1, "enqueued_at=now() - interval '1 hour'");
    await addMessages(other.id, 1);
    await addMessages(outside.id, 1, "enqueued_at=now() - interval '2 hours'");
    const ageRule = await rule(owner, {
      kind: "oldestMessageAge",
      scope: { type: "pattern", pattern: `${prefix}-*` },
      threshold: 1800,
    });
    const dlq = await createTestQueue(owner);
    const deadRule = await rule(owner, { kind: "deadLetters", scope: { type: "queue", queue: dlq.name } });
    await evaluate();
    const aged = await stateOf(ageRule.id);
    expect(aged.state).toBe("firing");
    expect(aged.last_subject).toBe(old.name);
    expect(aged.last_value).toBeGreaterThanOrEqual(3600);
    expect(aged.last_value).toBeLessThan(7200);
    expect(await stateOf(deadRule.id)).toEqual({ state: "ok", last_value: 0, last_subject: dlq.name });

    await addMessages(dlq.id, 2, "dead_at=now()");
    await evaluate();
    expect(await stateOf(deadRule.id)).toEqual({ state: "firing", last_value: 2, last_subject: dlq.name });
  });

  it("push failure rate over a window, API error rate, and no data is not a breach", async () => {
    const owner = await ownerPrincipal();
    const topic = uniqueName("topic");
    const { rows } = await pool().query(
      "INSERT INTO topic (account_id, name, topic_key, filter_type, max_msg_size, msg_retention_seconds) VALUES ($1, $2, $2, 1, 65536, 86400) RETURNING id",
      [owner.accountId, topic],
    );
    const topicId = rows[0].id;
    const pushRule = await rule(owner, {
      kind: "pushFailureRate",
      scope: { type: "topic", topic },
      threshold: 25,
      windowSeconds: 600,
    });
    const apiRule = await rule(owner, {
      kind: "apiErrorRate",
      scope: { type: "account" },
      threshold: 10,
      windowSeconds: 300,
    });
    await evaluate();
    expect(await stateOf(pushRule.id)).toEqual({ state: "ok", last_value: null, last_subject: topic });
    expect(await stateOf(apiRule.id)).toEqual({ state: "ok", last_value: null, last_subject: "account" });

    // 4 of 10 pushes failed 2 minutes ago, 1 of 10 an hour ago (outside the window): 40 %
    await pool().query(
      `INSERT INTO metric_minute (resource_kind, resource_id, at, account_id, num_of_notify, num_of_fail_notify, num_of_succ_notify)
       VALUES (2, $1, date_trunc('minute', now() - interval '2 minutes'), $2, 10, 4, 6),
              (2, $1, date_trunc('minute', now() - interval '1 hour'), $2, 10, 1, 9)`,
      [topicId, owner.accountId],
    );
    await pool().query(
      `INSERT INTO metric_api_minute (account_id, action, at, requests, errors, latency)
       VALUES ($1, 'SendMessage', date_trunc('minute', now()), 20, 1, '{}'), ($1, 'ReceiveMessage', date_trunc('minute', now()), 30, 2, '{}')`,
      [owner.accountId],
    );
    await evaluate();
    expect(await stateOf(pushRule.id)).toEqual({ state: "firing", last_value: 40, last_subject: topic });
    expect(await stateOf(apiRule.id)).toEqual({ state: "ok", last_value: 6, last_subject: "account" });
    await pool().query("UPDATE metric_api_minute SET errors = 10 WHERE account_id = $1 AND action = 'SendMessage'", [
      owner.accountId,
    ]);
    await evaluate();
    expect(await stateOf(apiRule.id)).toEqual({ state: "firing", last_value: 24, last_subject: "account" });
  });

  it("database signals: connection use, the oldest open transaction, dead rows of the message table", async () => {
    const holder = await pool().connect();
    try {
      await holder.query("BEGIN");
      const { rows } = await holder.query("SELECT txid_current(), pg_backend_pid() AS pid");
      // Our transaction's age now; when the signals are read a moment later the oldest is at least that old.
      const { rows: ours } = await pool().query(
        "SELECT extract(epoch FROM now() - xact_start)::float8 AS age FROM pg_stat_activity WHERE pid = $1",
        [rows[0].pid],
      );
      const signals = await readDatabaseSignals(pool());
      expect(signals.dbConnectionUse.value).toBeGreaterThan(0);
      expect(signals.dbConnectionUse.value).toBeLessThanOrEqual(100);
      expect(signals.dbOldestTransaction.value).toBeGreaterThanOrEqual(ours[0].age);
      expect(signals.dbOldestTransaction.subject).toMatch(/^(session \d+|prepared transaction )/);
      // Dead rows of the message table as PostgreSQL's statistics count them (a number, never null here).
      expect(signals.dbDeadRows.value).toBeGreaterThanOrEqual(0);
      expect(signals.dbDeadRows.subject).toBe("message");

      const owner = await ownerPrincipal();
      const connections = await rule(owner, { kind: "dbConnectionUse", scope: { type: "account" }, threshold: 0 });
      await evaluate();
      expect((await stateOf(connections.id)).state).toBe("firing");
    } finally {
      await holder.query("ROLLBACK");
      holder.release();
    }
  });

  it("rules on one queue read together (one statement per kind) read what each reads alone", async () => {
    const owner = await ownerPrincipal();
    const busy = await createTestQueue(owner);
    const idle = await createTestQueue(owner);
    await addMessages(busy.id, 3, "enqueued_at=now() - interval '10 minutes'");
    await addMessages(busy.id, 2, "dead_at=now()");
    for (const kind of queueAlarmKinds) {
      await rule(owner, { kind, scope: { type: "queue", queue: busy.name } });
      await rule(owner, { kind, scope: { type: "queue", queue: idle.name } });
    }
    // Names match case-insensitively; a rule whose queue was deleted since reads no value.
    await pool().query("UPDATE alarm_rule SET scope_name = upper(scope_name) WHERE scope_name = $1", [busy.name]);
    const gone = await createTestQueue(owner);
    await rule(owner, { kind: "backlogTotal", scope: { type: "queue", queue: gone.name } });
    await pool().query("DELETE FROM queue WHERE id = $1", [gone.id]);

    const { rules } = await selectEnabledRules(pool(), [owner.accountId]);
    expect(rules).toHaveLength(2 * queueAlarmKinds.length + 1);
    const seen: Record<string, Array<Reading | undefined>> = {};
    for (const kind of queueAlarmKinds) {
      const ofKind = rules.filter((r) => r.kind === kind);
      const together = await readSingleQueueValues(pool(), kind, ofKind);
      expect(together.size, kind).toBe(ofKind.length);
      for (const r of ofKind) {
        const alone = await readQueueValue(pool(), r);
        const read = together.get(r.id);
        expect(read?.subject, kind).toBe(alone.subject);
        // The oldest message's age is measured at each statement's now(): alike to the second.
        if (alone.value === null) expect(read?.value).toBeNull();
        else expect(Math.abs((read?.value ?? Number.NaN) - alone.value), kind).toBeLessThan(1);
      }
      seen[kind] = ofKind.map((r) => together.get(r.id));
    }
    const age = seen.oldestMessageAge?.[0]?.value ?? 0;
    expect(age).toBeGreaterThanOrEqual(600);
    expect(age).toBeLessThan(660);
    expect(seen).toEqual({
      backlogVisible: [
        { value: 5, subject: busy.name },
        { value: 0, subject: idle.name },
      ],
      backlogTotal: [
        { value: 5, subject: busy.name },
        { value: 0, subject: idle.name },
        { value: null, subject: null },
      ],
      oldestMessageAge: [
        { value: age, subject: busy.name },
        { value: 0, subject: idle.name },
      ],
      deadLetters: [
        { value: 2, subject: busy.name },
        { value: 0, subject: idle.name },
      ],
    });
  });

  it("two evaluators at once write each transition once (compare-and-set on the rule's state)", async () => {
    const owner = await ownerPrincipal();
    const queue = await createTestQueue(owner);
    const created = await rule(owner, {
      kind: "backlogTotal",
      scope: { type: "queue", queue: queue.name },
      threshold: 0,
    });
    await addMessages(queue.id, 1);
    await Promise.all([evaluate(), evaluate(), evaluate()]);
    expect(await events(created.id)).toEqual(["ok→firing"]);
  });

  it("the worker ticks in one process at a time across the installation (advisory lock 727109)", async () => {
    const worker = createAlarmsWorker();
    expect(worker.lockKey).toBe(alarmLockKey);
    const other = await pool().connect();
    try {
      await other.query("SELECT pg_advisory_lock($1)", [alarmLockKey]);
      let ran = false;
      await runLocked({
        lockKey: worker.lockKey,
        tick: async () => {
          ran = true;
          return undefined;
        },
      });
      expect(ran).toBe(false);
      await other.query("SELECT pg_advisory_unlock($1)", [alarmLockKey]);
      await runLocked({
        lockKey: worker.lockKey,
        tick: async () => {
          ran = true;
          return undefined;
        },
      });
      expect(ran).toBe(true);
    } finally {
      other.release();
    }
  });
});

describe("alarm webhooks", () => {
  const policyFor = (port: number) => ({ allowPrivate: false, allowExactly: [{ address: "127.0.0.1", port }] });

  async function deliver(port: number, accountIds: readonly string[] = accounts) {
    const client = await pool().connect();
    try {
      return await deliverAlarmNotifications(client, {
        timeoutMs: 3000,
        policy: policyFor(port),
        retryUnitMs: 1,
        accountIds,
      });
    } finally {
      client.release();
    }
  }

  /**
   * A local receiver answering with `answer`, an owner, a queue, and a rule on its visible backlog
   * that posts to the receiver (`extra` overrides the rule's input).
   */
  async function webhookRule(answer: Parameters<typeof startReceiver>[0], extra: Partial<CreateAlarmRuleInput> = {}) {
    const receiver = await startReceiver(answer);
    receivers.push(receiver);
    const owner = await ownerPrincipal();
    const queue = await createTestQueue(owner);
    const created = await rule(owner, {
      kind: "backlogVisible",
      scope: { type: "queue", queue: queue.name },
      webhookUrl: receiver.url,
      ...extra,
    });
    return { receiver, owner, queue, created };
  }

  it("fire and resolve arrive signed with the rule's secret, and every attempt is recorded", async () => {
    const { receiver, owner, queue, created } = await webhookRule(() => 200, { threshold: 0 });
    expect(created.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await addMessages(queue.id, 2);
    await evaluate();
    await deliver(receiver.port);
    expect(receiver.received).toHaveLength(1);
    const fired = receiver.received[0];
    expect(fired?.headers[alarmEventHeader]).toBe("alarm.firing");
    expect(
      verifyPushSignature(created.secret ?? "", fired?.body ?? "", fired?.headers["x-opencmq-signature"] as string),
    ).toBe(true);
    expect(verifyPushSignature("wrong", fired?.body ?? "", fired?.headers["x-opencmq-signature"] as string)).toBe(
      false,
    );
    const body = JSON.parse(fired?.body ?? "{}");
    expect(body).toMatchObject({
      type: "alarm.firing",
      alarm: {
        id: created.id,
        name: created.name,
        kind: "backlogVisible",
        scope: { type: "queue", queue: queue.name },
        threshold: 0,
      },
      event: { fromState: "ok", state: "firing", value: 2, subject: queue.name },
      attempt: 1,
    });

    await pool().query("DELETE FROM message WHERE queue_id = $1", [queue.id]);
    await refreshQueueStats(pool(), 0);
    await evaluate();
    await deliver(receiver.port);
    expect(receiver.received).toHaveLength(2);
    expect(JSON.parse(receiver.received[1]?.body ?? "{}")).toMatchObject({
      type: "alarm.resolved",
      event: { fromState: "firing", state: "ok", value: 0 },
    });
    const history = await listAlarmEvents(owner, { rule: created.id, limit: 10 });
    expect(history.events.map((e) => [e.toState, e.notifyStatus, e.attempts.map((a) => a.httpStatus)])).toEqual([
      ["ok", "delivered", [200]],
      ["firing", "delivered", [200]],
    ]);
  });

  it("a failed attempt is retried (bounded), an address the guard refuses is never reached", async () => {
    const { receiver, owner, queue, created } = await webhookRule((_push, count) => (count === 1 ? 503 : 200));
    await addMessages(queue.id, 1);
    await evaluate();
    await deliver(receiver.port);
    const first = await listAlarmEvents(owner, { rule: created.id, limit: 10 });
    expect(first.events[0]?.notifyStatus).toBe("pending");
    expect(first.events[0]?.attempts.map((a) => [a.attempt, a.httpStatus])).toEqual([[1, 503]]);
    // the retry is due after 10 units of 1 ms
    await pool().query("UPDATE alarm_event SET notify_next_at = now() WHERE rule_id = $1", [created.id]);
    await deliver(receiver.port);
    const second = await listAlarmEvents(owner, { rule: created.id, limit: 10 });
    expect(second.events[0]?.notifyStatus).toBe("delivered");
    expect(second.events[0]?.attempts.map((a) => [a.attempt, a.httpStatus])).toEqual([
      [1, 503],
      [2, 200],
    ]);

    // With the guard on for loopback, all 4 attempts are refused and recorded, none reaches the receiver.
    const guarded = await rule(owner, {
      kind: "backlogTotal",
      scope: { type: "queue", queue: queue.name },
      webhookUrl: receiver.url,
    });
    await evaluate();
    const client = await pool().connect();
    try {
      for (let i = 0; i < 4; i++) {
        await pool().query(
          "UPDATE alarm_event SET notify_next_at = now() WHERE rule_id = $1 AND notify_status = 'pending'",
          [guarded.id],
        );
        await deliverAlarmNotifications(client, {
          timeoutMs: 3000,
          policy: { allowPrivate: false },
          retryUnitMs: 1,
          accountIds: accounts,
        });
      }
    } finally {
      client.release();
    }
    const refused = await listAlarmEvents(owner, { rule: guarded.id, limit: 10 });
    expect(refused.events[0]?.notifyStatus).toBe("failed");
    expect(refused.events[0]?.attempts.map((a) => a.attempt)).toEqual([1, 2, 3, 4]);
    expect(refused.events[0]?.attempts[0]?.error).toMatch(/loopback/);
    expect(receiver.received).toHaveLength(2);
  });

  it("a webhook due now is claimed now, though its time is stored rounded to the millisecond (up, half the time)", async () => {
    const { owner, queue, created } = await webhookRule(() => 200);
    await addMessages(queue.id, 1);
    await evaluate();
    const client = await pool().connect();
    try {
      // Within one transaction now() stands still: find one whose now() the column rounds up.
      for (let tries = 0; ; tries++) {
        await client.query("BEGIN");
        const { rows } = await client.query(
          "UPDATE alarm_event SET notify_next_at = now() WHERE rule_id = $1 RETURNING notify_next_at > now() AS ahead",
          [created.id],
        );
        if (rows[0]?.ahead) break;
        await client.query("ROLLBACK");
        expect(tries).toBeLessThan(200);
      }
      const claimed = await claimDueNotifications(client, 20, 60_000, [owner.accountId]);
      expect(claimed.map((n) => [n.rule_id, n.attempt])).toEqual([[created.id, 1]]);
    } finally {
      await client.query("ROLLBACK");
      client.release();
    }
  });

  it("deleting a firing rule sends its resolve signed with the rule's secret, and a retry still due; the copied secret goes once sent", async () => {
    const { receiver, owner, queue, created } = await webhookRule((_push, count) => (count === 1 ? 503 : 200), {
      threshold: 0,
    });
    const secret = created.secret ?? "";
    await addMessages(queue.id, 2);
    await evaluate();
    expect((await stateOf(created.id)).state).toBe("firing");
    await deliver(receiver.port); // the firing webhook gets a 503: to be retried
    expect(receiver.received).toHaveLength(1);
    const { rows: sealed } = await pool().query("SELECT secret_encrypted FROM alarm_rule WHERE id = $1", [created.id]);

    await deleteAlarmRule(owner, { id: created.id });
    const kept = await pool().query(
      `SELECT rule_id, from_state, to_state, message, notify_status, rule_copy, webhook_url, secret_encrypted
         FROM alarm_event WHERE account_id = $1 ORDER BY id`,
      [owner.accountId],
    );
    const copy = {
      id: created.id,
      name: created.name,
      kind: "backlogVisible",
      scope: { type: "queue", queue: queue.name },
      threshold: 0,
      forSeconds: 0,
      windowSeconds: 300,
    };
    // Both webhooks still to be sent carry the rule's URL and its secret sealed as on the rule, never in clear.
    expect(kept.rows).toEqual([
      {
        rule_id: null,
        from_state: "ok",
        to_state: "firing",
        message: `Firing: visible messages 2 > 0 on ${queue.name}`,
        notify_status: "pending",
        rule_copy: copy,
        webhook_url: receiver.url,
        secret_encrypted: sealed[0].secret_encrypted,
      },
      {
        rule_id: null,
        from_state: "firing",
        to_state: "ok",
        message: "Rule deleted. Resolved: visible messages: no data",
        notify_status: "pending",
        rule_copy: copy,
        webhook_url: receiver.url,
        secret_encrypted: sealed[0].secret_encrypted,
      },
    ]);
    expect(sealed[0].secret_encrypted).not.toContain(secret);

    await pool().query("UPDATE alarm_event SET notify_next_at = now() WHERE account_id = $1", [owner.accountId]);
    await deliver(receiver.port);
    // Sent concurrently: sorted by type, the firing retry comes first.
    const typeOf = (push: { headers: Record<string, unknown> }) => String(push.headers[alarmEventHeader]);
    const sent = receiver.received.slice(1).sort((a, b) => typeOf(a).localeCompare(typeOf(b)));
    expect(sent.map(typeOf)).toEqual(["alarm.firing", "alarm.resolved"]);
    for (const push of sent) {
      expect(verifyPushSignature(secret, push.body, push.headers["x-opencmq-signature"] as string)).toBe(true);
    }
    expect(JSON.parse(sent[0]?.body ?? "{}")).toMatchObject({
      type: "alarm.firing",
      alarm: copy,
      event: { fromState: "ok", state: "firing", value: 2 },
      attempt: 2,
    });
    expect(JSON.parse(sent[1]?.body ?? "{}")).toEqual({
      type: "alarm.resolved",
      alarm: copy,
      event: {
        id: expect.any(String),
        at: expect.any(String),
        fromState: "firing",
        state: "ok",
        value: null,
        subject: null,
        message: "Rule deleted. Resolved: visible messages: no data",
      },
      attempt: 1,
    });
    const done = await pool().query(
      "SELECT notify_status, secret_encrypted FROM alarm_event WHERE account_id = $1 ORDER BY id",
      [owner.accountId],
    );
    expect(done.rows).toEqual([
      { notify_status: "delivered", secret_encrypted: null },
      { notify_status: "delivered", secret_encrypted: null },
    ]);
  });

  it("deleting a rule in state ok sends nothing and writes no event; a pending one goes back to ok unannounced", async () => {
    const { receiver, owner, queue, created: quiet } = await webhookRule(() => 200, { threshold: 5 });
    const pending = await rule(owner, {
      kind: "backlogVisible",
      scope: { type: "queue", queue: queue.name },
      threshold: 0,
      forSeconds: 600,
      webhookUrl: receiver.url,
    });
    await addMessages(queue.id, 1);
    await evaluate();
    expect([(await stateOf(quiet.id)).state, (await stateOf(pending.id)).state]).toEqual(["ok", "pending"]);

    await deleteAlarmRule(owner, { id: quiet.id });
    await deleteAlarmRule(owner, { id: pending.id });
    expect(await deliver(receiver.port, [owner.accountId])).toBe(0);
    expect(receiver.received).toEqual([]);
    const { rows } = await pool().query(
      `SELECT rule_name, from_state, to_state, message, notify_status, secret_encrypted
         FROM alarm_event WHERE account_id = $1 ORDER BY id`,
      [owner.accountId],
    );
    expect(rows).toEqual([
      {
        rule_name: pending.name,
        from_state: "ok",
        to_state: "pending",
        message: `Pending: visible messages 1 > 0 on ${queue.name}; fires after 600 s`,
        notify_status: "none",
        secret_encrypted: null,
      },
      {
        rule_name: pending.name,
        from_state: "pending",
        to_state: "ok",
        message: "Rule deleted. Back to OK before firing: visible messages: no data",
        notify_status: "none",
        secret_encrypted: null,
      },
    ]);
  });
});
