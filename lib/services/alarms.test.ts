import { describe, expect, it } from "vitest";
import type { Access } from "@/lib/auth/permissions";
import type { Principal } from "@/lib/auth/principal";
import { getPool } from "@/lib/db/pool";
import { getPrisma } from "@/lib/db/prisma";
import { createAlarmRuleSchema } from "@/lib/schemas/alarm";
import { createTestPrincipal, createTestQueue, uniqueName } from "@/lib/testing/fixtures";
import {
  createAlarmRule,
  deleteAlarmRule,
  getAlarmRule,
  listAlarmEvents,
  listAlarmRules,
  updateAlarmRule,
} from "./alarms";
import { createTopic } from "./topics";

// Alarm rules under the account's permissions and resource policies (lib/services/alarms.ts): who
// may read and manage which rule, "not found" for what a caller may not see, audit of every change
// and of refusals, and disabling a firing rule.

const as = (owner: Principal, access: Partial<Access>): Principal => ({
  ...owner,
  label: "other",
  access: { role: "developer", statements: [], keyPermissions: [], ...access },
});

const backlogRule = (queue: string, extra: object = {}) =>
  createAlarmRuleSchema.parse({
    name: uniqueName("rule"),
    kind: "backlogTotal",
    scope: { type: "queue", queue },
    threshold: 10,
    ...extra,
  });

async function auditActions(accountId: string) {
  const rows = await getPrisma().auditEvent.findMany({
    where: { accountId, resourceType: "alarm" },
    orderBy: { id: "asc" },
  });
  return rows.map((r) => `${r.action}:${r.outcome}`);
}

describe("alarm rules and access", () => {
  it("readonly reads but may not create; the refusal is audited and nothing is created", async () => {
    const owner = await createTestPrincipal();
    const queue = await createTestQueue(owner);
    const readonly = as(owner, { role: "readonly" });
    await expect(createAlarmRule(readonly, backlogRule(queue.name))).rejects.toMatchObject({ code: "FORBIDDEN" });
    const created = await createAlarmRule(owner, backlogRule(queue.name));
    expect((await listAlarmRules(readonly, {})).rules.map((r) => r.id)).toEqual([created.id]);
    await expect(updateAlarmRule(readonly, { id: created.id }, { threshold: 1 })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(deleteAlarmRule(readonly, { id: created.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await getAlarmRule(owner, { id: created.id })).threshold).toBe(10);
    expect(await auditActions(owner.accountId)).toEqual([
      "alarm.create:denied",
      "alarm.create:success",
      "alarm.update:denied",
      "alarm.delete:denied",
    ]);
  });

  it("a policy limited to some queues: rules on other queues, patterns beyond it and the account are not found or refused", async () => {
    const owner = await createTestPrincipal();
    const prefix = uniqueName("team");
    const mine = await createTestQueue(owner, { name: `${prefix}-a` });
    const theirs = await createTestQueue(owner);
    const onTheirs = await createAlarmRule(owner, backlogRule(theirs.name));
    const onAccount = await createAlarmRule(owner, {
      ...backlogRule(mine.name),
      scope: { type: "account" },
    });
    const scoped = as(owner, {
      statements: [{ effect: "allow", actions: ["queue:*", "message:*", "monitor:*"], resources: [`${prefix}-*`] }],
    });
    const onMine = await createAlarmRule(scoped, backlogRule(mine.name));
    const onPattern = await createAlarmRule(scoped, {
      ...backlogRule(mine.name),
      scope: { type: "pattern", pattern: `${prefix}-*` },
    });
    expect((await listAlarmRules(scoped, {})).rules.map((r) => r.id).sort()).toEqual([onMine.id, onPattern.id].sort());
    for (const id of [onTheirs.id, onAccount.id]) {
      await expect(getAlarmRule(scoped, { id })).rejects.toMatchObject({ code: "ALARM_NOT_FOUND" });
      await expect(updateAlarmRule(scoped, { id }, { threshold: 1 })).rejects.toMatchObject({
        code: "ALARM_NOT_FOUND",
      });
      await expect(listAlarmEvents(scoped, { rule: id, limit: 10 })).rejects.toMatchObject({ code: "ALARM_NOT_FOUND" });
    }
    await expect(createAlarmRule(scoped, backlogRule(theirs.name))).rejects.toMatchObject({ code: "QUEUE_NOT_FOUND" });
    await expect(
      createAlarmRule(scoped, { ...backlogRule(mine.name), scope: { type: "pattern", pattern: "*" } }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      createAlarmRule(scoped, { ...backlogRule(mine.name), scope: { type: "account" } }),
    ).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    // Another account's rule does not exist.
    const stranger = await createTestPrincipal();
    await expect(getAlarmRule(stranger, { id: onMine.id })).rejects.toMatchObject({ code: "ALARM_NOT_FOUND" });
    await expect(deleteAlarmRule(stranger, { id: onMine.id })).rejects.toMatchObject({ code: "ALARM_NOT_FOUND" });
  });

  it("a key narrowed to monitoring (an alerting tool's) manages rules on its user's queues and topics, and no others", async () => {
    const owner = await createTestPrincipal();
    const prefix = uniqueName("team");
    const mine = await createTestQueue(owner, { name: `${prefix}-a` });
    const theirs = await createTestQueue(owner);
    const topic = await createTopic(owner, { name: `${prefix}-t`, filterType: "tag" });
    const onTheirs = await createAlarmRule(owner, backlogRule(theirs.name));
    const user = {
      statements: [{ effect: "allow" as const, actions: ["queue:*", "topic:*"], resources: [`${prefix}-*`] }],
    };
    const key = as(owner, { ...user, keyPermissions: ["monitor:read", "monitor:alarms"] });
    const onMine = await createAlarmRule(key, backlogRule(mine.name));
    const onTopic = await createAlarmRule(key, {
      ...backlogRule(mine.name),
      kind: "pushFailureRate",
      scope: { type: "topic", topic: topic.name },
    });
    expect((await listAlarmRules(key, {})).rules.map((r) => r.id).sort()).toEqual([onMine.id, onTopic.id].sort());
    expect((await updateAlarmRule(key, { id: onMine.id }, { threshold: 3 })).threshold).toBe(3);
    await deleteAlarmRule(key, { id: onTopic.id });
    await expect(getAlarmRule(key, { id: onTheirs.id })).rejects.toMatchObject({ code: "ALARM_NOT_FOUND" });
    await expect(createAlarmRule(key, backlogRule(theirs.name))).rejects.toMatchObject({ code: "QUEUE_NOT_FOUND" });
    // Reading only: it reads them, and may not make one.
    const reader = as(owner, { ...user, keyPermissions: ["monitor:read"] });
    expect((await listAlarmRules(reader, {})).rules.map((r) => r.id)).toEqual([onMine.id]);
    await expect(createAlarmRule(reader, backlogRule(mine.name))).rejects.toMatchObject({ code: "FORBIDDEN" });
    // Managing without reading: it sees no queue, so it can make no rule on one, nor on the account.
    const blind = as(owner, { ...user, keyPermissions: ["monitor:alarms"] });
    await expect(createAlarmRule(blind, backlogRule(mine.name))).rejects.toMatchObject({ code: "QUEUE_NOT_FOUND" });
    const ownersBlindKey = { ...owner, access: { ...owner.access, keyPermissions: ["monitor:alarms"] } };
    await expect(
      createAlarmRule(ownersBlindKey, { ...backlogRule(mine.name), scope: { type: "account" } }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      createAlarmRule(ownersBlindKey, {
        ...backlogRule(mine.name),
        scope: { type: "pattern", pattern: `${prefix}-*` },
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await listAlarmRules(owner, {})).rules.map((r) => r.id).sort()).toEqual([onTheirs.id, onMine.id].sort());
  });

  it("a policy about some queues only, saying nothing of monitoring: account-wide queue rules are hidden and refused", async () => {
    const owner = await createTestPrincipal();
    const prefix = uniqueName("team");
    const mine = await createTestQueue(owner, { name: `${prefix}-a` });
    const onAccount = await createAlarmRule(owner, { ...backlogRule(mine.name), scope: { type: "account" } });
    const onErrors = await createAlarmRule(
      owner,
      createAlarmRuleSchema.parse({
        name: uniqueName("errors"),
        kind: "apiErrorRate",
        scope: { type: "account" },
        threshold: 5,
      }),
    );
    // The account's worst queue may be one this user cannot see: the rule would name it.
    const scoped = as(owner, {
      statements: [{ effect: "allow", actions: ["queue:*", "message:*"], resources: [`${prefix}-*`] }],
    });
    await expect(getAlarmRule(scoped, { id: onAccount.id })).rejects.toMatchObject({ code: "ALARM_NOT_FOUND" });
    expect((await listAlarmRules(scoped, {})).rules.map((r) => r.id)).toEqual([onErrors.id]);
    await expect(
      createAlarmRule(scoped, { ...backlogRule(mine.name), scope: { type: "account" } }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    // Allowed on every queue, the same user sees it.
    const everywhere = as(owner, {
      statements: [{ effect: "allow", actions: ["queue:*", "message:*"], resources: ["*"] }],
    });
    expect((await getAlarmRule(everywhere, { id: onAccount.id })).id).toBe(onAccount.id);
  });

  it("a deny on some queues: no pattern rule may reach across it, no account-wide queue rule is shown", async () => {
    const owner = await createTestPrincipal();
    const prefix = uniqueName("deny");
    const open = await createTestQueue(owner, { name: `${prefix}-open` });
    await createTestQueue(owner, { name: `${prefix}-secret` });
    const onAccount = await createAlarmRule(owner, { ...backlogRule(open.name), scope: { type: "account" } });
    const onPattern = await createAlarmRule(owner, {
      ...backlogRule(open.name),
      scope: { type: "pattern", pattern: `${prefix}-*` },
    });
    const denied = as(owner, {
      statements: [
        { effect: "allow", actions: ["queue:*", "message:*", "monitor:*"], resources: ["*"] },
        { effect: "deny", actions: ["queue:*", "message:*"], resources: [`${prefix}-secret*`] },
      ],
    });
    for (const pattern of ["*", `${prefix}-*`, `${prefix}-s*`]) {
      await expect(
        createAlarmRule(denied, { ...backlogRule(open.name), scope: { type: "pattern", pattern } }),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    for (const id of [onAccount.id, onPattern.id]) {
      await expect(getAlarmRule(denied, { id })).rejects.toMatchObject({ code: "ALARM_NOT_FOUND" });
    }
    expect((await listAlarmRules(denied, {})).rules).toEqual([]);
    expect((await createAlarmRule(denied, backlogRule(open.name))).scope).toEqual({ type: "queue", queue: open.name });
  });

  it("a percentage threshold above 100 is refused on update too, and nothing changes", async () => {
    const owner = await createTestPrincipal();
    const created = await createAlarmRule(
      owner,
      createAlarmRuleSchema.parse({
        name: uniqueName("pct"),
        kind: "apiErrorRate",
        scope: { type: "account" },
        threshold: 5,
      }),
    );
    await expect(updateAlarmRule(owner, { id: created.id }, { threshold: 500 })).rejects.toMatchObject({
      code: "INVALID_INPUT",
    });
    expect((await getAlarmRule(owner, { id: created.id })).threshold).toBe(5);
    expect((await updateAlarmRule(owner, { id: created.id }, { threshold: 100 })).threshold).toBe(100);
  });

  it("database rules need monitor:database (developers do not hold it)", async () => {
    const owner = await createTestPrincipal();
    const developer = as(owner, { role: "developer" });
    const input = createAlarmRuleSchema.parse({
      name: uniqueName("db"),
      kind: "dbConnectionUse",
      scope: { type: "account" },
      threshold: 80,
    });
    await expect(createAlarmRule(developer, input)).rejects.toMatchObject({ code: "FORBIDDEN" });
    const created = await createAlarmRule(owner, input);
    await expect(getAlarmRule(developer, { id: created.id })).rejects.toMatchObject({ code: "ALARM_NOT_FOUND" });
    expect((await listAlarmRules(developer, {})).rules).toEqual([]);
  });

  it("names are unique per account, ignoring case; a webhook gets a secret, removing it drops the secret", async () => {
    const owner = await createTestPrincipal();
    const queue = await createTestQueue(owner);
    const first = await createAlarmRule(owner, backlogRule(queue.name, { name: "Orders Backlog" }));
    expect(first.secret).toBeNull();
    await expect(createAlarmRule(owner, backlogRule(queue.name, { name: "orders backlog" }))).rejects.toMatchObject({
      code: "ALARM_EXISTS",
    });
    const withHook = await updateAlarmRule(owner, { id: first.id }, { webhookUrl: "https://example.com/hook" });
    expect(withHook.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await updateAlarmRule(owner, { id: first.id }, { webhookUrl: null });
    const { rows } = await getPool().query("SELECT secret_encrypted FROM alarm_rule WHERE id = $1", [first.id]);
    expect(rows[0].secret_encrypted).toBeNull();
  });

  it("disabling a firing rule resolves it with an event (its webhook resolve is queued); deleting keeps the history", async () => {
    const owner = await createTestPrincipal();
    const queue = await createTestQueue(owner);
    const created = await createAlarmRule(owner, backlogRule(queue.name, { webhookUrl: "https://example.com/hook" }));
    await getPool().query("UPDATE alarm_rule SET state = 'firing' WHERE id = $1", [created.id]);
    const disabled = await updateAlarmRule(owner, { id: created.id }, { enabled: false });
    expect([disabled.state, disabled.enabled]).toEqual(["ok", false]);
    const history = await listAlarmEvents(owner, { rule: created.id, limit: 10 });
    expect(history.events.map((e) => [e.fromState, e.toState, e.notifyStatus])).toEqual([["firing", "ok", "pending"]]);
    expect(history.events[0]?.message).toMatch(/^Rule disabled\. Resolved/);
    await getPool().query("UPDATE alarm_event SET notify_status = 'failed' WHERE rule_id = $1", [created.id]);

    await deleteAlarmRule(owner, { id: created.id });
    const after = await listAlarmEvents(owner, { limit: 10 });
    expect(after.events.map((e) => [e.ruleId, e.ruleName])).toEqual([[null, created.name]]);
    expect(await auditActions(owner.accountId)).toEqual([
      "alarm.create:success",
      "alarm.update:success",
      "alarm.delete:success",
    ]);
  });

  it("the history pages newest first by event id and filters by the state reached and by time", async () => {
    const owner = await createTestPrincipal();
    const queue = await createTestQueue(owner);
    const created = await createAlarmRule(owner, backlogRule(queue.name));
    const { rows } = await getPool().query<{ id: string }>(
      `INSERT INTO alarm_event (account_id, rule_id, rule_name, at, from_state, to_state, value, threshold, message)
       SELECT $1, $2, $3, now() - (4 - g) * interval '1 hour', s.f, s.t, g, 10, 'e' || g
         FROM generate_series(1, 3) g
         JOIN (VALUES (1, 'ok', 'firing'), (2, 'firing', 'ok'), (3, 'ok', 'firing')) AS s(n, f, t) ON s.n = g
       ORDER BY g RETURNING id::text`,
      [owner.accountId, created.id, created.name],
    );
    const ids = rows.map((r) => r.id);
    const first = await listAlarmEvents(owner, { rule: created.id, limit: 2 });
    expect(first.events.map((e) => e.id)).toEqual([ids[2], ids[1]]);
    expect(first.nextBefore).toBe(ids[1]);
    const second = await listAlarmEvents(owner, { rule: created.id, limit: 2, before: first.nextBefore ?? "" });
    expect([second.events.map((e) => e.id), second.nextBefore]).toEqual([[ids[0]], null]);
    const firing = await listAlarmEvents(owner, { rule: created.id, state: "firing", limit: 10 });
    expect(firing.events.map((e) => e.message)).toEqual(["e3", "e1"]);
    const recent = await listAlarmEvents(owner, {
      rule: created.id,
      from: new Date(Date.now() - 2.5 * 3600_000).toISOString(),
      limit: 10,
    });
    expect(recent.events.map((e) => e.message)).toEqual(["e3", "e2"]);
  });
});
