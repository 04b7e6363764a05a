import type { APIRequestContext } from "@playwright/test";
import { insertApiKey } from "@/lib/auth/key-credentials";
import { basicAuth, expect, test, uniqueName } from "../fixtures";

// Issue 10: rewind (REST and CMQ) and changing a message's visibility, over the built server.

type Received = { id: string; body: string; receiptHandle: string; dequeueCount: number };

async function receive(api: APIRequestContext, name: string, data: Record<string, unknown> = {}): Promise<Received[]> {
  const res = await api.post(`/api/v1/queues/${name}/messages/receive`, { data: { max: 16, ...data } });
  expect(res.status()).toBe(200);
  return (await res.json()).messages;
}

async function sendReceiveDelete(api: APIRequestContext, name: string, bodies: string[]) {
  const sent = await api.post(`/api/v1/queues/${name}/messages`, {
    data: { messages: bodies.map((body) => ({ body })) },
  });
  expect(sent.status()).toBe(201);
  const got = await receive(api, name);
  expect(got.map((m) => m.body)).toEqual(bodies);
  const del = await api.post(`/api/v1/queues/${name}/messages/delete`, {
    data: { receiptHandles: got.map((m) => m.receiptHandle) },
  });
  expect(await del.json()).toEqual({ deleted: bodies.length, failed: [] });
  return got.map((m) => m.id);
}

const counts = async (api: APIRequestContext, name: string) =>
  (await (await api.get(`/api/v1/queues/${name}`)).json()).counts;

const isoSecondsAgo = (s: number) => new Date(Date.now() - s * 1000).toISOString();

test.describe("rewind and visibility over REST", () => {
  test.use({ checkedAgainstOpenApi: true });

  test("deleted messages are kept, rewound in production order, and gone when rewind is turned off", async ({
    api,
  }) => {
    const name = uniqueName("rewind");
    expect((await api.post("/api/v1/queues", { data: { name, rewindSeconds: 3600 } })).status()).toBe(201);
    const ids = await sendReceiveDelete(api, name, ["a", "b", "c"]);
    expect(await counts(api, name)).toEqual({ visible: 0, inFlight: 0, delayed: 0, rewindable: 3, dead: 0 });

    const rewound = await api.post(`/api/v1/queues/${name}/rewind`, {
      data: { startConsumeTime: isoSecondsAgo(60) },
    });
    expect(rewound.status()).toBe(200);
    expect(await rewound.json()).toEqual({ rewound: 3 });
    expect(await counts(api, name)).toEqual({ visible: 3, inFlight: 0, delayed: 0, rewindable: 0, dead: 0 });
    const again: Received[] = [];
    for (let i = 0; i < 3; i++) again.push(...(await receive(api, name, { max: 1 })));
    expect(again.map((m) => [m.id, m.body, m.dequeueCount])).toEqual([
      [ids[0], "a", 1],
      [ids[1], "b", 1],
      [ids[2], "c", 1],
    ]);
    await api.post(`/api/v1/queues/${name}/messages/delete`, {
      data: { receiptHandles: again.map((m) => m.receiptHandle) },
    });
    expect((await counts(api, name)).rewindable).toBe(3);

    const off = await api.patch(`/api/v1/queues/${name}`, { data: { rewindSeconds: 0 } });
    expect(off.status()).toBe(200);
    expect((await off.json()).counts.rewindable).toBe(0);
    const refused = await api.post(`/api/v1/queues/${name}/rewind`, { data: { startConsumeTime: isoSecondsAgo(1) } });
    expect(refused.status()).toBe(409);
    expect((await refused.json()).error.code).toBe("REWIND_NOT_ENABLED");
  });

  test("bad rewind requests are refused and change nothing", async ({ api }) => {
    const name = uniqueName("rewind-bad");
    await api.post("/api/v1/queues", { data: { name, rewindSeconds: 60 } });
    await sendReceiveDelete(api, name, ["kept"]);
    for (const [data, status, code] of [
      [{}, 400, "INVALID_INPUT"],
      [{ startConsumeTime: 1_700_000_000 }, 400, "INVALID_INPUT"],
      [{ startConsumeTime: "yesterday" }, 400, "INVALID_INPUT"],
      [{ startConsumeTime: isoSecondsAgo(1), extra: true }, 400, "INVALID_INPUT"],
      [{ startConsumeTime: isoSecondsAgo(120) }, 400, "REWIND_TIME_OUT_OF_RANGE"],
      [{ startConsumeTime: isoSecondsAgo(-600) }, 400, "REWIND_TIME_OUT_OF_RANGE"],
    ] as const) {
      const res = await api.post(`/api/v1/queues/${name}/rewind`, { data });
      expect([res.status(), (await res.json()).error.code], JSON.stringify(data)).toEqual([status, code]);
    }
    const missing = await api.post(`/api/v1/queues/${uniqueName("nope")}/rewind`, {
      data: { startConsumeTime: isoSecondsAgo(1) },
    });
    expect([missing.status(), (await missing.json()).error.code]).toEqual([404, "QUEUE_NOT_FOUND"]);
    expect(await counts(api, name)).toEqual({ visible: 0, inFlight: 0, delayed: 0, rewindable: 1, dead: 0 });
  });

  test("visibility by receipt handle: extend, end, and an old handle refused", async ({ api }) => {
    const name = uniqueName("vis");
    await api.post("/api/v1/queues", { data: { name } });
    await api.post(`/api/v1/queues/${name}/messages`, { data: { messages: [{ body: "lease" }] } });
    const [m] = await receive(api, name, { visibilityTimeout: 600 });
    if (!m) throw new Error("nothing received");
    const url = `/api/v1/queues/${name}/messages/visibility`;
    for (const data of [
      { receiptHandle: m.receiptHandle, visibilityTimeout: 43_201 },
      { receiptHandle: m.receiptHandle, visibilityTimeout: -1 },
      { receiptHandle: m.receiptHandle, visibilityTimeout: 1.5 },
      { receiptHandle: m.receiptHandle, visibilityTimeout: "0" },
      { receiptHandle: m.receiptHandle },
      { receiptHandle: m.receiptHandle, visibilityTimeout: 0, extra: 1 },
    ]) {
      const res = await api.post(url, { data });
      expect([res.status(), (await res.json()).error.code], JSON.stringify(data)).toEqual([400, "INVALID_INPUT"]);
    }
    expect(await counts(api, name)).toMatchObject({ visible: 0, inFlight: 1 });

    const extended = await api.post(url, { data: { receiptHandle: m.receiptHandle, visibilityTimeout: 1200 } });
    expect(extended.status()).toBe(200);
    const body = await extended.json();
    expect(body.receiptHandle).toBe(m.receiptHandle);
    expect(Date.parse(body.nextVisibleAt) - Date.now()).toBeGreaterThan(1100_000);

    const ended = await api.post(url, { data: { receiptHandle: m.receiptHandle, visibilityTimeout: 0 } });
    expect(ended.status()).toBe(200);
    const [again] = await receive(api, name);
    expect([again?.id, again?.dequeueCount]).toEqual([m.id, 2]);
    const stale = await api.post(url, { data: { receiptHandle: m.receiptHandle, visibilityTimeout: 10 } });
    expect([stale.status(), (await stale.json()).error.code]).toEqual([409, "RECEIPT_HANDLE_INVALID"]);
  });

  test("visibility by id (operator): in-flight and delayed messages; visible, unknown and malformed ids refused", async ({
    api,
  }) => {
    const name = uniqueName("vis-id");
    await api.post("/api/v1/queues", { data: { name } });
    const sent = await api.post(`/api/v1/queues/${name}/messages`, {
      data: { messages: [{ body: "now" }, { body: "later", delaySeconds: 900 }] },
    });
    const [nowId, laterId] = (await sent.json()).messages.map((m: { id: string }) => m.id);
    const byId = (id: string) => `/api/v1/queues/${name}/messages/${id}/visibility`;

    const visible = await api.post(byId(nowId), { data: { visibilityTimeout: 60 } });
    expect([visible.status(), (await visible.json()).error.code]).toEqual([409, "MESSAGE_VISIBLE"]);
    const unknown = await api.post(byId("999999999999999"), { data: { visibilityTimeout: 0 } });
    expect([unknown.status(), (await unknown.json()).error.code]).toEqual([404, "MESSAGE_NOT_FOUND"]);
    for (const [id, data] of [
      ["abc", { visibilityTimeout: 0 }],
      ["99999999999999999999", { visibilityTimeout: 0 }],
      [laterId, { visibilityTimeout: 43_201 }],
      [laterId, {}],
    ] as const) {
      const res = await api.post(byId(id), { data });
      expect([res.status(), (await res.json()).error.code], `${id} ${JSON.stringify(data)}`).toEqual([
        400,
        "INVALID_INPUT",
      ]);
    }
    expect(await counts(api, name)).toMatchObject({ visible: 1, delayed: 1 });

    const shown = await api.post(byId(laterId), { data: { visibilityTimeout: 0 } });
    expect(shown.status()).toBe(200);
    expect((await shown.json()).id).toBe(laterId);
    const got = await receive(api, name, { visibilityTimeout: 600 });
    expect(got.map((m) => m.body)).toEqual(["now", "later"]);
    const endLease = await api.post(byId(nowId), { data: { visibilityTimeout: 0 } });
    expect(endLease.status()).toBe(200);
    expect(await counts(api, name)).toMatchObject({ visible: 1, inFlight: 1 });
  });
});

test.describe("RewindQueue over CMQ", () => {
  test("rewindmsgNum, RewindQueue in unix seconds, and CMQ's error codes", async ({ cmq }) => {
    const q = uniqueName("cmq-rewind");
    expect((await cmq.call("CreateQueue", { queueName: q, rewindSeconds: 600 })).code).toBe(0);
    await cmq.call("BatchSendMessage", { queueName: q, "msgBody.1": "one", "msgBody.2": "two" });
    const got = await cmq.call("BatchReceiveMessage", { queueName: q, numOfMsg: 16, pollingWaitSeconds: 0 });
    const handles = (got.msgInfoList as { receiptHandle: string }[]).map((m) => m.receiptHandle);
    expect(handles).toHaveLength(2);
    await cmq.call("BatchDeleteMessage", {
      queueName: q,
      "receiptHandle.1": handles[0],
      "receiptHandle.2": handles[1],
    });
    expect(await cmq.call("GetQueueAttributes", { queueName: q })).toMatchObject({
      code: 0,
      rewindSeconds: 600,
      rewindmsgNum: 2,
      rewindMsgNum: 2,
    });

    const now = Math.floor(Date.now() / 1000);
    for (const [params, code, module] of [
      [{ startConsumeTime: now - 3600 }, 4000, 10680],
      [{ startConsumeTime: now + 3600 }, 4000, 10680],
      [{ startConsumeTime: 999_999_999_999_999 }, 4000, 10680],
      [{ startConsumeTime: "soon" }, 4000, 10110],
      [{}, 4000, 10010],
    ] as const) {
      const res = await cmq.call("RewindQueue", { queueName: q, ...params });
      expect([res.code, String(res.message).slice(0, 7)], JSON.stringify(params)).toEqual([code, `(${module})`]);
    }
    expect((await cmq.call("GetQueueAttributes", { queueName: q })).rewindmsgNum).toBe(2);

    const rewound = await cmq.call("RewindQueue", { queueName: q, startConsumeTime: now - 60 });
    expect(rewound).toMatchObject({ code: 0, message: "", rewound: 2 });
    const first = await cmq.call("ReceiveMessage", { queueName: q, pollingWaitSeconds: 0 });
    const second = await cmq.call("ReceiveMessage", { queueName: q, pollingWaitSeconds: 0 });
    expect([first.msgBody, second.msgBody]).toEqual(["one", "two"]);
    expect(await cmq.call("GetQueueAttributes", { queueName: q })).toMatchObject({
      rewindmsgNum: 0,
      inactiveMsgNum: 2,
    });

    const plain = uniqueName("cmq-norewind");
    await cmq.call("CreateQueue", { queueName: plain });
    const off = await cmq.call("RewindQueue", { queueName: plain, startConsumeTime: now - 60 });
    expect([off.code, String(off.message).slice(0, 7)]).toEqual([6050, "(10670)"]);
    const missing = await cmq.call("RewindQueue", { queueName: uniqueName("none"), startConsumeTime: now - 60 });
    expect([missing.code, String(missing.message).slice(0, 7)]).toEqual([4440, "(10100)"]);

    // A rewind window longer than the retention: CMQ's own code, on create and on set; nothing changes.
    const tooLong = uniqueName("cmq-rewind-long");
    const created = await cmq.call("CreateQueue", { queueName: tooLong, msgRetentionSeconds: 600, rewindSeconds: 601 });
    expect([created.code, String(created.message).slice(0, 7)]).toEqual([4000, "(10700)"]);
    expect((await cmq.call("GetQueueAttributes", { queueName: tooLong })).code).toBe(4440);
    const set = await cmq.call("SetQueueAttributes", { queueName: q, rewindSeconds: 345_601 });
    expect([set.code, String(set.message).slice(0, 7)]).toEqual([4000, "(10700)"]);
    expect((await cmq.call("GetQueueAttributes", { queueName: q })).rewindSeconds).toBe(600);
  });
});

test.describe("who may rewind and change visibility", () => {
  test("a key without the permission is refused (403), a queue outside the policy is not found (404); nothing changes", async ({
    api,
    owner,
    playwright,
    baseURL,
  }) => {
    const name = uniqueName("perm-rewind");
    await api.post("/api/v1/queues", { data: { name, rewindSeconds: 600 } });
    await sendReceiveDelete(api, name, ["kept"]);
    await api.post(`/api/v1/queues/${name}/messages`, { data: { messages: [{ body: "leased" }] } });
    const [m] = await receive(api, name, { visibilityTimeout: 600 });
    if (!m) throw new Error("nothing received");

    const user = await (
      await api.post("/api/v1/users", {
        data: { email: `${uniqueName("dev")}@e2e.test`, name: "dev", role: "developer" },
      })
    ).json();
    const narrowKey = await insertApiKey({
      accountId: owner.accountId,
      userId: user.id,
      permissions: ["queue:GetQueueAttributes", "queue:ReceiveMessage"],
    });
    const other = await api.post("/api/v1/users", {
      data: { email: `${uniqueName("elsewhere")}@e2e.test`, name: "elsewhere", role: "developer" },
    });
    const elsewhere = await other.json();
    await api.put(`/api/v1/users/${elsewhere.id}/policy`, {
      data: { statements: [{ effect: "allow", actions: ["queue:*"], resources: ["orders-*"] }] },
    });
    const elsewhereKey = await insertApiKey({ accountId: owner.accountId, userId: elsewhere.id });

    for (const [key, status, code] of [
      [narrowKey, 403, "FORBIDDEN"],
      [elsewhereKey, 404, "QUEUE_NOT_FOUND"],
    ] as const) {
      const as = await playwright.request.newContext({
        baseURL,
        extraHTTPHeaders: { authorization: basicAuth(key.secretId, key.secretKey) },
      });
      for (const [path, data] of [
        [`/api/v1/queues/${name}/rewind`, { startConsumeTime: isoSecondsAgo(60) }],
        [`/api/v1/queues/${name}/messages/visibility`, { receiptHandle: m.receiptHandle, visibilityTimeout: 0 }],
        [`/api/v1/queues/${name}/messages/${m.id}/visibility`, { visibilityTimeout: 0 }],
      ] as const) {
        const res = await as.post(path, { data });
        expect([res.status(), (await res.json()).error.code], path).toEqual([status, code]);
      }
      await as.dispose();
    }
    expect(await counts(api, name)).toEqual({ visible: 0, inFlight: 1, delayed: 0, rewindable: 1, dead: 0 });
  });
});
