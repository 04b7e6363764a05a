import type { APIRequestContext, PlaywrightWorkerArgs } from "@playwright/test";
import { insertApiKey } from "@/lib/auth/key-credentials";
import { getPool } from "@/lib/db/pool";
import { createAccountWithOwner } from "@/lib/services/accounts";
import { basicAuth, expect, type Owner, test, uniqueName } from "../fixtures";

// Purge, redrive, move and copy over REST (issue 10): statuses, codes, bad inputs that change
// nothing, and who may do what. Dead messages are made by hand, as the dead-letter move makes them.

const q = (name: string) => `/api/v1/queues/${name}`;

async function createQueue(api: APIRequestContext, name = uniqueName("ops")) {
  expect((await api.post("/api/v1/queues", { data: { name, visibilityTimeout: 60 } })).status()).toBe(201);
  const queue = await (await api.get(q(name))).json();
  return { name, id: queue.id as string };
}

async function send(api: APIRequestContext, name: string, bodies: string[], tags?: string[]) {
  const res = await api.post(`${q(name)}/messages`, { data: { messages: bodies.map((body) => ({ body, tags })) } });
  expect(res.status()).toBe(201);
  return (await res.json()).messages.map((m: { id: string }) => m.id) as string[];
}

async function idsIn(queueId: string) {
  const { rows } = await getPool().query<{ id: string }>(
    "SELECT id::text FROM message WHERE queue_id = $1 ORDER BY id",
    [queueId],
  );
  return rows.map((r) => r.id);
}

async function makeDead(ids: string[], dlqId: string, originId: string) {
  await getPool().query(
    `UPDATE message SET queue_id = $2::bigint, visible_at = now(), dead_from_queue_id = $3::bigint,
            dead_reason = 'maxReceiveCount', dead_at = now(), dead_dequeue_count = dequeue_count,
            dequeue_count = 0, receipt = NULL, first_dequeued_at = NULL
     WHERE id = ANY($1::bigint[])`,
    [ids, dlqId, originId],
  );
}

async function clientFor(
  playwright: PlaywrightWorkerArgs["playwright"],
  baseURL: string | undefined,
  owner: Owner,
  role: string,
  statements?: unknown[],
) {
  const ownerApi = await playwright.request.newContext({
    baseURL,
    extraHTTPHeaders: { authorization: basicAuth(owner.secretId, owner.secretKey) },
  });
  const res = await ownerApi.post("/api/v1/users", {
    data: { email: `${uniqueName(role)}@e2e.test`, name: role, role },
  });
  expect(res.status()).toBe(201);
  const user = await res.json();
  if (statements)
    expect((await ownerApi.put(`/api/v1/users/${user.id}/policy`, { data: { statements } })).status()).toBe(200);
  await ownerApi.dispose();
  const key = await insertApiKey({ accountId: owner.accountId, userId: user.id });
  return playwright.request.newContext({
    baseURL,
    extraHTTPHeaders: { authorization: basicAuth(key.secretId, key.secretKey) },
  });
}

test.describe("operations", () => {
  test.use({ checkedAgainstOpenApi: true });

  test("purge: dry run counts, a small purge finishes in the request, it is listed and audited", async ({ api }) => {
    const { name, id } = await createQueue(api);
    await send(api, name, ["keep me"]);
    const tagged = await send(api, name, ["a", "b"], ["old"]);
    const dry = await api.post(`${q(name)}/purge`, { data: { filter: { tag: "old" }, dryRun: true } });
    expect(dry.status()).toBe(200);
    expect(await dry.json()).toEqual({ count: 2 });
    expect(await idsIn(id)).toHaveLength(3);

    const res = await api.post(`${q(name)}/purge`, { data: { filter: { tag: "old" } } });
    expect(res.status()).toBe(200);
    const { operation } = await res.json();
    expect(operation).toMatchObject({
      kind: "purge",
      status: "done",
      filter: { state: "all", tag: "old" },
      target: null,
      total: 2,
      processed: 2,
      skipped: 0,
      ratePerSecond: null,
      error: null,
    });
    expect((await idsIn(id)).some((m) => tagged.includes(m))).toBe(false);
    expect(await (await api.get(`${q(name)}/operations/${operation.id}`)).json()).toEqual(operation);
    expect(await (await api.get(`${q(name)}/operations`)).json()).toEqual({ operations: [operation] });

    const audit = await (await api.get("/api/v1/audit?action=queue.purge&limit=5")).json();
    expect(audit.events[0]).toMatchObject({
      action: "queue.purge",
      resourceName: name,
      outcome: "success",
      details: { operationId: operation.id, count: 2, filter: { state: "all", tag: "old" } },
    });
  });

  test("a purge of more than 1,000 messages answers 202 and the worker finishes it", async ({ api }) => {
    const { name, id } = await createQueue(api);
    await getPool().query(
      "INSERT INTO message (queue_id, body, visible_at) SELECT $1::bigint, 'm' || g, now() FROM generate_series(1, 6000) g",
      [id],
    );
    const res = await api.post(`${q(name)}/purge`, { data: {} });
    expect(res.status()).toBe(202);
    const { operation } = await res.json();
    expect(operation).toMatchObject({ status: "pending", total: 6000, processed: 0, startedAt: null });
    await expect
      .poll(async () => (await (await api.get(`${q(name)}/operations/${operation.id}`)).json()).status, {
        timeout: 20_000,
      })
      .toBe("done");
    const done = await (await api.get(`${q(name)}/operations/${operation.id}`)).json();
    expect(done).toMatchObject({ processed: 6000, skipped: 0 });
    expect(done.startedAt).not.toBeNull();
    expect(done.finishedAt).not.toBeNull();
    expect(await idsIn(id)).toEqual([]);
    // Cancelling a finished operation answers it as it is.
    const cancel = await api.post(`${q(name)}/operations/${operation.id}/cancel`);
    expect(cancel.status()).toBe(200);
    expect(await cancel.json()).toEqual(done);
  });

  test("redrive: dead messages back to their origin; move keeps ids; copy makes new ones", async ({ api }) => {
    const origin = await createQueue(api);
    const dlq = await createQueue(api);
    const other = await createQueue(api);
    const dead = await send(api, origin.name, ["d1", "d2"]);
    await makeDead(dead, dlq.id, origin.id);
    const straight = await send(api, dlq.name, ["sent to the DLQ itself"]);

    expect(await (await api.post(`${q(dlq.name)}/redrive`, { data: { dryRun: true } })).json()).toEqual({ count: 2 });
    const redrive = await api.post(`${q(dlq.name)}/redrive`, { data: { ratePerSecond: 500 } });
    expect(redrive.status()).toBe(200);
    expect((await redrive.json()).operation).toMatchObject({
      kind: "redrive",
      status: "done",
      filter: { state: "dead" },
      total: 2,
      processed: 2,
      ratePerSecond: 500,
    });
    expect(await idsIn(origin.id)).toEqual(dead);
    const got = await (await api.post(`${q(origin.name)}/messages/receive`, { data: { max: 16 } })).json();
    expect(got.messages.map((m: { body: string; dequeueCount: number }) => [m.body, m.dequeueCount])).toEqual([
      ["d1", 1],
      ["d2", 1],
    ]);

    const move = await api.post(`${q(dlq.name)}/move`, { data: { filter: {}, target: other.name } });
    expect(move.status()).toBe(200);
    expect((await move.json()).operation).toMatchObject({ kind: "move", status: "done", total: 1, target: other.name });
    expect(await idsIn(other.id)).toEqual(straight);
    expect(await idsIn(dlq.id)).toEqual([]);

    const copy = await api.post(`${q(other.name)}/move`, { data: { filter: {}, target: dlq.name, copy: true } });
    expect(copy.status()).toBe(200);
    expect((await copy.json()).operation).toMatchObject({ kind: "copy", status: "done", processed: 1 });
    expect(await idsIn(other.id)).toEqual(straight);
    const copies = await idsIn(dlq.id);
    expect(copies).toHaveLength(1);
    expect(copies[0]).not.toBe(straight[0]);
  });

  test("delete one message by id: 204, then 404 MESSAGE_NOT_FOUND; a bad id is 400", async ({ api }) => {
    const { name, id } = await createQueue(api);
    const [first, second] = await send(api, name, ["x", "y"]);
    const del = await api.delete(`${q(name)}/messages/${first}`);
    expect(del.status()).toBe(204);
    const again = await api.delete(`${q(name)}/messages/${first}`);
    expect(again.status()).toBe(404);
    expect((await again.json()).error.code).toBe("MESSAGE_NOT_FOUND");
    const bad = await api.delete(`${q(name)}/messages/not-a-number`);
    expect(bad.status()).toBe(400);
    expect((await bad.json()).error.code).toBe("INVALID_INPUT");
    const missing = await api.delete(`${q(uniqueName("nope"))}/messages/${second}`);
    expect(missing.status()).toBe(404);
    expect((await missing.json()).error.code).toBe("QUEUE_NOT_FOUND");
    expect(await idsIn(id)).toEqual([second]);
  });

  test("bad inputs are refused with 400 and change nothing", async ({ api }) => {
    const { name, id } = await createQueue(api);
    const other = await createQueue(api);
    const ids = await send(api, name, ["a", "b", "c"]);
    const bad: [string, unknown][] = [
      ["purge", { filter: { state: "gone" } }],
      ["purge", { filter: { ids: ["1x"] } }],
      ["purge", { filter: { ids: [] } }],
      ["purge", { filter: { enqueuedFrom: "2026-02-01T00:00:00Z", enqueuedBefore: "2026-01-01T00:00:00Z" } }],
      ["purge", { filter: { search: "" } }],
      ["purge", { dryRun: "yes" }],
      ["purge", { everything: true }],
      ["purge", { filter: { state: "all", unknown: 1 } }],
      ["redrive", { ratePerSecond: 0 }],
      ["redrive", { ratePerSecond: 10_001 }],
      ["redrive", { ratePerSecond: 1.5 }],
      ["redrive", { target: 42 }],
      ["redrive", { filter: { state: "rewindable" } }],
      ["redrive", { target: name }],
      ["move", { target: other.name }],
      ["move", { filter: {} }],
      ["move", { filter: {}, target: name }],
      ["move", { filter: {}, target: other.name, copy: "true" }],
      ["move", { filter: { state: "rewindable" }, target: other.name }],
      ["move", { filter: {}, target: "has space" }],
    ];
    for (const [action, data] of bad) {
      const res = await api.post(`${q(name)}/${action}`, { data });
      expect([action, JSON.stringify(data), res.status(), (await res.json()).error?.code]).toEqual([
        action,
        JSON.stringify(data),
        400,
        "INVALID_INPUT",
      ]);
    }
    const notJson = await api.post(`${q(name)}/purge`, {
      data: Buffer.from("{not json"),
      headers: { "content-type": "application/json" },
    });
    expect([notJson.status(), (await notJson.json()).error.code]).toEqual([400, "INVALID_JSON"]);
    const noTarget = await api.post(`${q(name)}/move`, { data: { filter: {}, target: uniqueName("nope") } });
    expect([noTarget.status(), (await noTarget.json()).error.code]).toEqual([404, "QUEUE_NOT_FOUND"]);
    const noQueue = await api.post(`${q(uniqueName("nope"))}/purge`, { data: {} });
    expect([noQueue.status(), (await noQueue.json()).error.code]).toEqual([404, "QUEUE_NOT_FOUND"]);
    const badOp = await api.get(`${q(name)}/operations/not-a-uuid`);
    expect([badOp.status(), (await badOp.json()).error.code]).toEqual([400, "INVALID_INPUT"]);
    const unknownOp = await api.post(`${q(name)}/operations/00000000-0000-4000-8000-000000000000/cancel`);
    expect([unknownOp.status(), (await unknownOp.json()).error.code]).toEqual([404, "OPERATION_NOT_FOUND"]);

    expect(await idsIn(id)).toEqual(ids);
    expect(await idsIn(other.id)).toEqual([]);
    expect(await (await api.get(`${q(name)}/operations`)).json()).toEqual({ operations: [] });
  });

  test("permissions: message:purge vs message:redrive, SendMessage on the target, not found for what you cannot see", async ({
    api,
    owner,
    playwright,
    baseURL,
  }) => {
    const stamp = uniqueName("p");
    const orders = await createQueue(api, `orders-${stamp}`);
    const ordersDlq = await createQueue(api, `orders-dlq-${stamp}`);
    const ordersRo = await createQueue(api, `orders-ro-${stamp}`);
    const billing = await createQueue(api, `billing-${stamp}`);
    const ordersIds = await send(api, orders.name, ["o1", "o2"]);
    const dead = await send(api, orders.name, ["dead"]);
    await makeDead(dead, ordersDlq.id, orders.id);
    const billingIds = await send(api, billing.name, ["b1"]);
    const purge = await api.post(`${q(orders.name)}/purge`, { data: { filter: { ids: [ordersIds[0]] } } });
    const purgeOp = (await purge.json()).operation;

    const developer = await clientFor(playwright, baseURL, owner, "developer");
    const readonly = await clientFor(playwright, baseURL, owner, "readonly");
    const ordersDev = await clientFor(playwright, baseURL, owner, "developer", [
      { effect: "allow", actions: ["queue:*", "message:*"], resources: ["orders-*"] },
      { effect: "deny", actions: ["queue:SendMessage"], resources: ["orders-ro-*"] },
    ]);
    const admin = await clientFor(playwright, baseURL, owner, "admin");
    const stranger = await createAccountWithOwner({
      accountName: uniqueName("x"),
      email: `${uniqueName("x")}@e2e.test`,
    });
    const strangerApi = await playwright.request.newContext({
      baseURL,
      extraHTTPHeaders: { authorization: basicAuth(stranger.secretId, stranger.secretKey) },
    });
    const outcome = async (res: Promise<import("@playwright/test").APIResponse>) => {
      const r = await res;
      return [r.status(), r.status() >= 400 ? (await r.json()).error.code : null];
    };

    // A developer holds message:redrive, not message:purge (nor delete by id).
    expect(await outcome(developer.post(`${q(orders.name)}/purge`, { data: { dryRun: true } }))).toEqual([
      403,
      "FORBIDDEN",
    ]);
    expect(await outcome(developer.delete(`${q(orders.name)}/messages/${ordersIds[1]}`))).toEqual([403, "FORBIDDEN"]);
    expect(await outcome(developer.post(`${q(ordersDlq.name)}/redrive`, { data: { dryRun: true } }))).toEqual([
      200,
      null,
    ]);
    expect(await outcome(developer.post(`${q(orders.name)}/operations/${purgeOp.id}/cancel`))).toEqual([
      403,
      "FORBIDDEN",
    ]);
    // readonly: sees operations (message:peek), may neither purge nor redrive.
    expect(await outcome(readonly.get(`${q(orders.name)}/operations`))).toEqual([200, null]);
    expect(await outcome(readonly.post(`${q(ordersDlq.name)}/redrive`, { data: {} }))).toEqual([403, "FORBIDDEN"]);
    expect(
      await outcome(readonly.post(`${q(orders.name)}/move`, { data: { filter: {}, target: billing.name } })),
    ).toEqual([403, "FORBIDDEN"]);
    // Limited to orders-*: billing does not exist for it, as a source or as a target.
    expect(await outcome(ordersDev.post(`${q(billing.name)}/purge`, { data: {} }))).toEqual([404, "QUEUE_NOT_FOUND"]);
    expect(await outcome(ordersDev.get(`${q(billing.name)}/operations`))).toEqual([404, "QUEUE_NOT_FOUND"]);
    expect(
      await outcome(ordersDev.post(`${q(orders.name)}/move`, { data: { filter: {}, target: billing.name } })),
    ).toEqual([404, "QUEUE_NOT_FOUND"]);
    expect(
      await outcome(ordersDev.post(`${q(orders.name)}/move`, { data: { filter: {}, target: ordersRo.name } })),
    ).toEqual([403, "FORBIDDEN"]);
    expect(await outcome(ordersDev.delete(`${q(billing.name)}/messages/${billingIds[0]}`))).toEqual([
      404,
      "QUEUE_NOT_FOUND",
    ]);
    // An operation is found only under its own queue.
    expect(await outcome(ordersDev.get(`${q(ordersDlq.name)}/operations/${purgeOp.id}`))).toEqual([
      404,
      "OPERATION_NOT_FOUND",
    ]);
    // Another account sees none of it.
    expect(await outcome(strangerApi.post(`${q(orders.name)}/purge`, { data: {} }))).toEqual([404, "QUEUE_NOT_FOUND"]);
    expect(await outcome(strangerApi.get(`${q(orders.name)}/operations/${purgeOp.id}`))).toEqual([
      404,
      "QUEUE_NOT_FOUND",
    ]);
    // Nothing changed so far.
    expect(await idsIn(orders.id)).toEqual([ordersIds[1]]);
    expect(await idsIn(ordersDlq.id)).toEqual(dead);
    expect(await idsIn(billing.id)).toEqual(billingIds);

    // Allowed: the developer redrives; the limited developer moves within orders-*; an admin purges.
    expect(await outcome(developer.post(`${q(ordersDlq.name)}/redrive`, { data: {} }))).toEqual([200, null]);
    expect(await idsIn(ordersDlq.id)).toEqual([]);
    expect(
      await outcome(ordersDev.post(`${q(orders.name)}/move`, { data: { filter: {}, target: ordersDlq.name } })),
    ).toEqual([200, null]);
    expect(await outcome(admin.post(`${q(ordersDlq.name)}/purge`, { data: {} }))).toEqual([200, null]);
    expect(await idsIn(ordersDlq.id)).toEqual([]);

    // Refused attempts are in the audit log.
    const denied = await (await api.get("/api/v1/audit?outcome=denied&action=queue.purge&limit=20")).json();
    expect(denied.events.map((e: { resourceName: string }) => e.resourceName)).toContain(orders.name);
    await Promise.all([
      developer.dispose(),
      readonly.dispose(),
      ordersDev.dispose(),
      admin.dispose(),
      strangerApi.dispose(),
    ]);
  });
});
