import { getPool } from "@/lib/db/pool";
import { verifyPushSignature } from "@/lib/push/signature";
import { startReceiver, waitFor } from "@/lib/push/testing";
import { expect, test, uniqueName } from "../fixtures";

// Alarms through the built app (its alarm worker ticks every second: OPENCMQ_ALARM_INTERVAL_MS in
// e2e/global-setup.ts): a backlog rule fires on a real backlog, its webhook arrives signed, and it
// resolves when the queue is drained. Bad input is refused with 400 and changes nothing; another
// account's rule does not exist. Answers are checked against the OpenAPI document.

test.use({ checkedAgainstOpenApi: true });

type Rule = { id: string; state: string; lastValue: number | null; secret?: string | null };
type Api = Parameters<Parameters<typeof test>[2]>[0]["api"];

/** A new queue, and a rule on it (fires at once: forSeconds 0) whose webhook goes to `webhookUrl`. */
async function queueWithRule(api: Api, rule: { name: string; kind: string; threshold: number; webhookUrl: string }) {
  const queue = uniqueName("alarmq");
  expect((await api.post("/api/v1/queues", { data: { name: queue } })).status()).toBe(201);
  const created = await api.post("/api/v1/alarms", {
    data: { ...rule, scope: { type: "queue", queue }, forSeconds: 0 },
  });
  expect(created.status()).toBe(201);
  return { queue, rule: (await created.json()) as Rule };
}

test("a backlog rule fires, its webhook arrives signed, and it resolves when the queue drains", async ({ api }) => {
  test.setTimeout(120_000); // counts reach the kept figures at the 5 s metrics flush
  const receiver = await startReceiver(() => 200);
  try {
    const { queue, rule } = await queueWithRule(api, {
      name: uniqueName("backlog"),
      kind: "backlogVisible",
      threshold: 2,
      webhookUrl: receiver.url,
    });
    expect(rule.state).toBe("ok");
    const secret = rule.secret ?? "";
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await (await api.get(`/api/v1/alarms/${rule.id}/secret`)).json()).secret).toBe(secret);

    const messages = Array.from({ length: 5 }, (_, i) => ({ body: `m${i}` }));
    expect((await api.post(`/api/v1/queues/${queue}/messages`, { data: { messages } })).status()).toBe(201);
    const stateIs = (state: string) => async () => {
      const current = (await (await api.get(`/api/v1/alarms/${rule.id}`)).json()) as Rule;
      return current.state === state ? current : undefined;
    };
    const firing = await waitFor(stateIs("firing"), 60_000, "the rule to fire");
    expect(firing.lastValue).toBe(5);
    const fired = await waitFor(async () => receiver.received[0], 30_000, "the firing webhook");
    expect(verifyPushSignature(secret, fired.body, String(fired.headers["x-opencmq-signature"]))).toBe(true);
    expect(JSON.parse(fired.body)).toMatchObject({
      type: "alarm.firing",
      alarm: { id: rule.id, kind: "backlogVisible", scope: { type: "queue", queue }, threshold: 2 },
      event: { fromState: "ok", state: "firing", value: 5, subject: queue },
    });

    const received = await api.post(`/api/v1/queues/${queue}/messages/receive`, { data: { max: 16, waitSeconds: 0 } });
    const handles = ((await received.json()).messages as { receiptHandle: string }[]).map((m) => m.receiptHandle);
    expect(handles).toHaveLength(5);
    expect(
      (await (await api.post(`/api/v1/queues/${queue}/messages/delete`, { data: { receiptHandles: handles } })).json())
        .deleted,
    ).toBe(5);
    const resolved = await waitFor(stateIs("ok"), 60_000, "the rule to resolve");
    expect(resolved.lastValue).toBe(0);
    const resolvedHook = await waitFor(async () => receiver.received[1], 30_000, "the resolving webhook");
    expect(verifyPushSignature(secret, resolvedHook.body, String(resolvedHook.headers["x-opencmq-signature"]))).toBe(
      true,
    );
    expect(JSON.parse(resolvedHook.body)).toMatchObject({
      type: "alarm.resolved",
      event: { fromState: "firing", state: "ok" },
    });

    const history = await api.get("/api/v1/alarms/events", { params: { rule: rule.id } });
    expect(history.status()).toBe(200);
    const events = (await history.json()).events as Array<{
      fromState: string;
      toState: string;
      notifyStatus: string;
      attempts: { httpStatus: number }[];
    }>;
    expect(events.map((e) => [e.fromState, e.toState, e.notifyStatus, e.attempts.map((a) => a.httpStatus)])).toEqual([
      ["firing", "ok", "delivered", [200]],
      ["ok", "firing", "delivered", [200]],
    ]);
    const { rows } = await getPool().query("SELECT action FROM audit_event WHERE resource_name = $1 ORDER BY id", [
      (await (await api.get(`/api/v1/alarms/${rule.id}`)).json()).name,
    ]);
    expect(rows.map((r) => r.action)).toEqual(["alarm.create"]);
  } finally {
    await receiver.close();
  }
});

test("deleting a firing rule through the API still sends its resolve, signed with the rule's secret", async ({
  api,
}) => {
  test.setTimeout(120_000); // counts reach the kept figures at the 5 s metrics flush
  const receiver = await startReceiver(() => 200);
  try {
    const name = uniqueName("gone");
    const { queue, rule } = await queueWithRule(api, {
      name,
      kind: "backlogTotal",
      threshold: 0,
      webhookUrl: receiver.url,
    });
    const secret = rule.secret ?? "";
    expect((await api.post(`/api/v1/queues/${queue}/messages`, { data: { messages: [{ body: "x" }] } })).status()).toBe(
      201,
    );
    const fired = await waitFor(async () => receiver.received[0], 60_000, "the firing webhook");
    expect(JSON.parse(fired.body)).toMatchObject({ type: "alarm.firing", alarm: { id: rule.id } });

    expect((await api.delete(`/api/v1/alarms/${rule.id}`)).status()).toBe(204);
    expect((await api.get(`/api/v1/alarms/${rule.id}`)).status()).toBe(404);
    const resolved = await waitFor(async () => receiver.received[1], 30_000, "the resolve of the deleted rule");
    expect(verifyPushSignature(secret, resolved.body, String(resolved.headers["x-opencmq-signature"]))).toBe(true);
    expect(resolved.headers["x-opencmq-event"]).toBe("alarm.resolved");
    expect(JSON.parse(resolved.body)).toMatchObject({
      type: "alarm.resolved",
      alarm: { id: rule.id, name, kind: "backlogTotal", scope: { type: "queue", queue }, threshold: 0 },
      event: { fromState: "firing", state: "ok", message: "Rule deleted. Resolved: messages: no data" },
      attempt: 1,
    });
    // The history keeps both transitions under the rule's name; the resolve is recorded delivered.
    type Event = { ruleId: string | null; ruleName: string; toState: string; notifyStatus: string };
    const delivered = async () => {
      const history = await api.get("/api/v1/alarms/events", { params: { limit: 10 } });
      const events = ((await history.json()).events as Event[]).filter((e) => e.ruleName === name);
      return events.length === 2 && events.every((e) => e.notifyStatus === "delivered") ? events : undefined;
    };
    const events = await waitFor(delivered, 30_000, "the resolve recorded as delivered");
    expect(events.map((e) => [e.ruleId, e.toState, e.notifyStatus])).toEqual([
      [null, "ok", "delivered"],
      [null, "firing", "delivered"],
    ]);
    expect(receiver.received).toHaveLength(2);
  } finally {
    await receiver.close();
  }
});

test("bad input is 400 and creates or changes nothing; another account's rule is 404", async ({
  api,
  playwright,
  baseURL,
}) => {
  const queue = uniqueName("alarmq");
  expect((await api.post("/api/v1/queues", { data: { name: queue } })).status()).toBe(201);
  const bad = [
    { name: "x", kind: "nope", scope: { type: "account" }, threshold: 1 },
    { name: "x", kind: "apiErrorRate", scope: { type: "queue", queue }, threshold: 1 },
    { name: "x", kind: "apiErrorRate", scope: { type: "account" }, threshold: 101 },
    { name: "x", kind: "backlogVisible", scope: { type: "queue", queue }, threshold: -1 },
    { name: "x", kind: "backlogVisible", scope: { type: "queue", queue }, threshold: 1, forSeconds: 1.5 },
    {
      name: "x",
      kind: "backlogVisible",
      scope: { type: "queue", queue },
      threshold: 1,
      webhookUrl: "ftp://example.com",
    },
    { name: "", kind: "backlogVisible", scope: { type: "queue", queue }, threshold: 1 },
    { name: "x", kind: "backlogVisible", scope: { type: "queue", queue }, threshold: 1, extra: true },
  ];
  for (const data of bad) {
    const res = await api.post("/api/v1/alarms", { data });
    expect([res.status(), (await res.json()).error.code], JSON.stringify(data)).toEqual([400, "INVALID_INPUT"]);
  }
  const missing = await api.post("/api/v1/alarms", {
    data: { name: "x", kind: "backlogVisible", scope: { type: "queue", queue: `${queue}-nope` }, threshold: 1 },
  });
  expect([missing.status(), (await missing.json()).error.code]).toEqual([404, "QUEUE_NOT_FOUND"]);
  expect((await (await api.get("/api/v1/alarms")).json()).rules).toEqual([]);

  const name = uniqueName("rule");
  const created = await api.post("/api/v1/alarms", {
    data: { name, kind: "backlogTotal", scope: { type: "queue", queue }, threshold: 10 },
  });
  expect(created.status()).toBe(201);
  const rule = await created.json();
  expect(rule.secret).toBeNull();
  for (const data of [{}, { threshold: "ten" }, { kind: "backlogVisible" }, { forSeconds: -1 }]) {
    const res = await api.patch(`/api/v1/alarms/${rule.id}`, { data });
    expect([res.status(), (await res.json()).error.code], JSON.stringify(data)).toEqual([400, "INVALID_INPUT"]);
  }
  expect((await api.get("/api/v1/alarms/not-a-number")).status()).toBe(400);
  const unchanged = await (await api.get(`/api/v1/alarms/${rule.id}`)).json();
  const fixed = ({
    name,
    kind,
    scope,
    threshold,
    forSeconds,
    windowSeconds,
    webhookUrl,
    enabled,
    updatedAt,
  }: typeof rule) => ({
    name,
    kind,
    scope,
    threshold,
    forSeconds,
    windowSeconds,
    webhookUrl,
    enabled,
    updatedAt,
  });
  expect(fixed(unchanged)).toEqual(fixed(rule));
  expect(
    (
      await api.post("/api/v1/alarms", {
        data: { name, kind: "backlogTotal", scope: { type: "account" }, threshold: 1 },
      })
    ).status(),
  ).toBe(409);

  const { createAccountWithOwner } = await import("@/lib/services/accounts");
  const stranger = await createAccountWithOwner({
    accountName: uniqueName("acct"),
    email: `${uniqueName("o")}@e2e.test`,
    password: `pw-${uniqueName("p")}`,
  });
  const other = await playwright.request.newContext({
    baseURL,
    extraHTTPHeaders: {
      authorization: `Basic ${Buffer.from(`${stranger.secretId}:${stranger.secretKey}`).toString("base64")}`,
    },
  });
  try {
    for (const res of [
      await other.get(`/api/v1/alarms/${rule.id}`),
      await other.patch(`/api/v1/alarms/${rule.id}`, { data: { threshold: 1 } }),
      await other.delete(`/api/v1/alarms/${rule.id}`),
      await other.get(`/api/v1/alarms/events?rule=${rule.id}`),
    ]) {
      expect([res.status(), (await res.json()).error.code]).toEqual([404, "ALARM_NOT_FOUND"]);
    }
  } finally {
    await other.dispose();
  }
  expect((await api.patch(`/api/v1/alarms/${rule.id}`, { data: { threshold: 20 } })).status()).toBe(200);
  expect((await api.delete(`/api/v1/alarms/${rule.id}`)).status()).toBe(204);
  expect((await api.get(`/api/v1/alarms/${rule.id}`)).status()).toBe(404);
});
