import type { APIRequestContext } from "@playwright/test";
import { type CmqClient, CmqClientError } from "@/lib/cmq/client";
import { getPool } from "@/lib/db/pool";
import { startAppServer, stopAppServer } from "../app-server";
import { basicAuth, expect, test, uniqueName } from "../fixtures";

// Issue 10, part 1: dead-letter queues over REST and CMQ — a poison message ends in the DLQ, the
// bindings obey CMQ's rules, and every refused binding changes nothing.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function createQueue(api: APIRequestContext, data: Record<string, unknown>) {
  const res = await api.post("/api/v1/queues", { data });
  expect(res.status(), JSON.stringify(data)).toBe(201);
  return res.json();
}

const receive = async (api: APIRequestContext, name: string) =>
  (
    await (
      await api.post(`/api/v1/queues/${name}/messages/receive`, { data: { max: 16, visibilityTimeout: 1 } })
    ).json()
  ).messages as { id: string; body: string; dequeueCount: number; enqueuedAt: string }[];

test.describe("dead-letter queues over REST", () => {
  test.use({ checkedAgainstOpenApi: true });

  test("a poison message ends in the DLQ after maxReceiveCount receives; the bound DLQ cannot be deleted until unbound", async ({
    api,
  }) => {
    const dlq = await createQueue(api, { name: uniqueName("dlq") });
    const name = uniqueName("orders");
    const source = await createQueue(api, {
      name,
      deadLetter: { queue: dlq.name, policy: "maxReceiveCount", maxReceiveCount: 2 },
    });
    expect(source.deadLetter).toEqual({
      queue: dlq.name,
      queueId: dlq.id,
      policy: "maxReceiveCount",
      maxReceiveCount: 2,
      maxTimeToLive: null,
    });
    const sources = await api.get(`/api/v1/queues/${dlq.name}/dead-letter-sources`);
    expect(sources.status()).toBe(200);
    expect(await sources.json()).toEqual({ queues: [{ id: source.id, name }], total: 1 });

    const sent = await api.post(`/api/v1/queues/${name}/messages`, { data: { messages: [{ body: "poison" }] } });
    const [{ id }] = (await sent.json()).messages;
    expect((await receive(api, name)).map((m) => [m.id, m.dequeueCount])).toEqual([[id, 1]]);
    await sleep(1100);
    expect((await receive(api, name)).map((m) => [m.id, m.dequeueCount])).toEqual([[id, 2]]);
    await sleep(1100);
    expect(await receive(api, name)).toEqual([]); // the 3rd receive moved it instead
    const dead = await (await api.get(`/api/v1/queues/${dlq.name}`)).json();
    expect(dead.counts).toEqual({ visible: 1, inFlight: 0, delayed: 0, rewindable: 0, dead: 1 });
    expect((await (await api.get(`/api/v1/queues/${name}`)).json()).counts).toEqual({
      visible: 0,
      inFlight: 0,
      delayed: 0,
      rewindable: 0,
      dead: 0,
    });
    expect((await receive(api, dlq.name)).map((m) => [m.id, m.body, m.dequeueCount])).toEqual([[id, "poison", 1]]);

    const refused = await api.delete(`/api/v1/queues/${dlq.name}`);
    expect(refused.status()).toBe(409);
    expect((await refused.json()).error.code).toBe("DEAD_LETTER_IN_USE");
    const unbound = await api.patch(`/api/v1/queues/${name}`, { data: { deadLetter: null } });
    expect(unbound.status()).toBe(200);
    expect((await unbound.json()).deadLetter).toBeNull();
    expect(await (await api.get(`/api/v1/queues/${dlq.name}/dead-letter-sources`)).json()).toEqual({
      queues: [],
      total: 0,
    });
    expect((await api.delete(`/api/v1/queues/${dlq.name}`)).status()).toBe(204);
  });

  test("bad bindings are refused with exact statuses and codes, and change nothing", async ({ api }) => {
    const dlq = await createQueue(api, { name: uniqueName("dlq") });
    const name = uniqueName("src");
    await createQueue(api, { name, msgRetentionSeconds: 3600 });
    const nested = await createQueue(api, { name: uniqueName("nested") });
    await createQueue(api, {
      name: uniqueName("has-dlq"),
      deadLetter: { queue: nested.name, policy: "maxReceiveCount", maxReceiveCount: 1 },
    });
    const byReceives = (queue: string, maxReceiveCount: unknown = 3) => ({
      queue,
      policy: "maxReceiveCount",
      maxReceiveCount,
    });
    const cases: [string, unknown, number, string][] = [
      ["itself", byReceives(name), 400, "INVALID_INPUT"],
      ["no such queue", byReceives(uniqueName("missing")), 404, "QUEUE_NOT_FOUND"],
      ["maxReceiveCount 0", byReceives(dlq.name, 0), 400, "INVALID_INPUT"],
      ["maxReceiveCount 1001", byReceives(dlq.name, 1001), 400, "INVALID_INPUT"],
      ["maxReceiveCount as text", byReceives(dlq.name, "3"), 400, "INVALID_INPUT"],
      ["maxTimeToLive 299", { queue: dlq.name, policy: "maxTimeToLive", maxTimeToLive: 299 }, 400, "INVALID_INPUT"],
      [
        "maxTimeToLive ≥ retention",
        { queue: dlq.name, policy: "maxTimeToLive", maxTimeToLive: 3600 },
        400,
        "INVALID_INPUT",
      ],
      ["policy without its field", { queue: dlq.name, policy: "maxTimeToLive" }, 400, "INVALID_INPUT"],
      ["unknown policy", { queue: dlq.name, policy: "never", maxReceiveCount: 3 }, 400, "INVALID_INPUT"],
      ["unknown field", { ...byReceives(dlq.name), colour: "red" }, 400, "INVALID_INPUT"],
      ["not an object", "dlq", 400, "INVALID_INPUT"],
    ];
    for (const [label, deadLetter, status, code] of cases) {
      const res = await api.patch(`/api/v1/queues/${name}`, { data: { deadLetter } });
      expect([label, res.status(), (await res.json()).error?.code]).toEqual([label, status, code]);
    }
    const hasDlq = (await (await api.get(`/api/v1/queues/${nested.name}/dead-letter-sources`)).json()).queues[0];
    const chain = await api.patch(`/api/v1/queues/${name}`, { data: { deadLetter: byReceives(hasDlq.name) } });
    expect([chain.status(), (await chain.json()).error.code]).toEqual([409, "DEAD_LETTER_NESTED"]);
    const dlqGetsOne = await api.patch(`/api/v1/queues/${nested.name}`, { data: { deadLetter: byReceives(dlq.name) } });
    expect([dlqGetsOne.status(), (await dlqGetsOne.json()).error.code]).toEqual([409, "DEAD_LETTER_NESTED"]);

    // Six sources at most.
    for (let i = 0; i < 6; i++) await createQueue(api, { name: uniqueName(`s${i}`), deadLetter: byReceives(dlq.name) });
    const seventh = await api.patch(`/api/v1/queues/${name}`, { data: { deadLetter: byReceives(dlq.name) } });
    expect([seventh.status(), (await seventh.json()).error.code]).toEqual([409, "DEAD_LETTER_SOURCES_EXCEEDED"]);
    const seventhCreate = await api.post("/api/v1/queues", {
      data: { name: uniqueName("s7"), deadLetter: byReceives(dlq.name) },
    });
    expect([seventhCreate.status(), (await seventhCreate.json()).error.code]).toEqual([
      409,
      "DEAD_LETTER_SOURCES_EXCEEDED",
    ]);

    // Nothing changed: the source is unbound, the DLQ has its six, no queue was created by a refusal.
    expect((await (await api.get(`/api/v1/queues/${name}`)).json()).deadLetter).toBeNull();
    expect((await (await api.get(`/api/v1/queues/${dlq.name}/dead-letter-sources?limit=100`)).json()).total).toBe(6);
    expect((await (await api.get("/api/v1/queues?limit=100")).json()).total).toBe(4 + 6);

    // The sources list: paging, search, bad queries, unknown queue.
    const page = await (await api.get(`/api/v1/queues/${dlq.name}/dead-letter-sources?offset=4&limit=5`)).json();
    expect([page.total, page.queues.length]).toEqual([6, 2]);
    for (const query of ["limit=0", "limit=101", "offset=-1", "colour=red"]) {
      const res = await api.get(`/api/v1/queues/${dlq.name}/dead-letter-sources?${query}`);
      expect([query, res.status(), (await res.json()).error.code]).toEqual([query, 400, "INVALID_INPUT"]);
    }
    const missing = await api.get(`/api/v1/queues/${uniqueName("missing")}/dead-letter-sources`);
    expect([missing.status(), (await missing.json()).error.code]).toEqual([404, "QUEUE_NOT_FOUND"]);
  });
});

async function cmqCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "0";
  } catch (error) {
    if (!(error instanceof CmqClientError)) throw error;
    return `${error.code} ${error.response.message.match(/^\((\d+)\)/)?.[1]}`;
  }
}

const receiveCmq = async (cmq: CmqClient, queueName: string) => {
  const response = await cmq.call("ReceiveMessage", { queueName, pollingWaitSeconds: 0 });
  return response.code === 0 ? (response as unknown as { msgId: string; dequeueCount: number }) : response.code;
};

test.describe("dead-letter queues over CMQ", () => {
  test("deadLetterPolicy on CreateQueue, GetQueueAttributes, a poison message moved, ListDeadLetterSourceQueues, UnbindDeadLetterQueue", async ({
    cmq,
  }) => {
    const dlq = uniqueName("cmq-dlq");
    const { queueId: dlqId } = await cmq.createQueue(dlq);
    const name = uniqueName("cmq-src");
    const { queueId } = await cmq.createQueue(
      name,
      { visibilityTimeout: 1 },
      { deadLetterQueue: dlq, policy: 0, maxReceiveCount: 1 },
    );
    const attributes = await cmq.getQueueAttributes(name);
    expect(attributes.deadLetterPolicy).toEqual({
      deadLetterQueue: dlqId,
      deadLetterQueueName: dlq,
      policy: 0,
      maxReceiveCount: 1,
      maxTimeToLive: 0,
    });
    expect((await cmq.getQueueAttributes(dlq)).deadLetterPolicy).toBeUndefined();
    expect(await cmq.listDeadLetterSourceQueues(dlq)).toMatchObject({
      totalCount: 1,
      queueList: [{ queueId, queueName: name }],
    });

    const { msgId } = await cmq.sendMessage(name, "poison");
    expect(await receiveCmq(cmq, name)).toMatchObject({ msgId, dequeueCount: 1 });
    await sleep(1100);
    expect(await receiveCmq(cmq, name)).toBe(7000); // moved, not returned
    expect(await receiveCmq(cmq, dlq)).toMatchObject({ msgId, dequeueCount: 1 });

    expect(await cmqCode(cmq.deleteQueue(dlq))).toBe("4000 10750");
    // A time-to-live policy through SetQueueAttributes, echoed back.
    const set = await cmq.setQueueAttributes(name, {}, { deadLetterQueue: dlq, policy: 1, maxTimeToLive: 300 });
    expect(set.deadLetterPolicy).toMatchObject({ deadLetterQueue: dlqId, policy: 1, maxTimeToLive: 300 });
    expect((await cmq.unbindDeadLetterQueue(name)).code).toBe(0);
    expect((await cmq.getQueueAttributes(name)).deadLetterPolicy).toBeUndefined();
    expect((await cmq.listDeadLetterSourceQueues(dlq)).totalCount).toBe(0);
    expect((await cmq.deleteQueue(dlq)).code).toBe(0);
  });

  test("CMQ's dead-letter error codes 10710–10780, and nothing changes", async ({ cmq }) => {
    const dlq = uniqueName("cmq-dlq");
    await cmq.createQueue(dlq);
    const name = uniqueName("cmq-src");
    await cmq.createQueue(name, { msgRetentionSeconds: 3600 });
    const other = uniqueName("cmq-other");
    await cmq.createQueue(other);
    const set = (deadLetterPolicy: string, queueName = name) =>
      cmqCode(cmq.call("SetQueueAttributes", { queueName, deadLetterPolicy }).then(throwUnlessOk));
    const policy = (fields: Record<string, unknown>) =>
      JSON.stringify({ deadLetterQueue: dlq, policy: 0, maxReceiveCount: 3, ...fields });

    const cases: [string, string, string][] = [
      ["not JSON", "{deadLetterQueue:", "4000 10710"],
      ["a JSON array", "[1]", "4000 10710"],
      ["empty", "", "4000 10710"],
      ["no deadLetterQueue", JSON.stringify({ policy: 0, maxReceiveCount: 3 }), "4000 10760"],
      ["policy 2", policy({ policy: 2 }), "4000 10770"],
      ["policy missing", JSON.stringify({ deadLetterQueue: dlq, maxReceiveCount: 3 }), "4000 10770"],
      ["maxReceiveCount 0", policy({ maxReceiveCount: 0 }), "4000 10720"],
      ["maxReceiveCount 1001", policy({ maxReceiveCount: 1001 }), "4000 10720"],
      ["policy 0 without maxReceiveCount", policy({ maxReceiveCount: undefined }), "4000 10720"],
      ["maxTimeToLive 299", policy({ policy: 1, maxTimeToLive: 299 }), "4000 10720"],
      ["maxTimeToLive 43201", policy({ policy: 1, maxTimeToLive: 43_201 }), "4000 10720"],
      ["maxTimeToLive ≥ retention", policy({ policy: 1, maxTimeToLive: 3600 }), "4000 10720"],
      ["unknown key", policy({ colour: "red" }), "4000 10720"],
      ["itself", policy({ deadLetterQueue: name }), "4000 10720"],
      ["no such DLQ", policy({ deadLetterQueue: uniqueName("missing") }), "4000 10730"],
    ];
    for (const [label, text, code] of cases) expect([label, await set(text)]).toEqual([label, code]);
    // Quoted numbers, as hand-written JSON often has them, are accepted.
    expect(await set(policy({ policy: "0", maxReceiveCount: "3" }), other)).toBe("0");
    // Nesting: the DLQ of `other` cannot get a DLQ; `other` cannot be a DLQ.
    expect(await set(JSON.stringify({ deadLetterQueue: name, policy: 0, maxReceiveCount: 3 }), dlq)).toBe("4000 10740");
    expect(await set(JSON.stringify({ deadLetterQueue: other, policy: 0, maxReceiveCount: 3 }))).toBe("4000 10740");
    const created = await cmq.call("CreateQueue", {
      queueName: uniqueName("cmq-new"),
      deadLetterPolicy: policy({ deadLetterQueue: uniqueName("missing") }),
    });
    expect([created.code, created.message.slice(0, 7)]).toEqual([4000, "(10730)"]);
    // Six sources at most (`other` is one).
    for (let i = 0; i < 5; i++)
      await cmq.createQueue(uniqueName(`cmq-s${i}`), {}, { deadLetterQueue: dlq, policy: 0, maxReceiveCount: 1 });
    expect(await set(policy({}))).toBe("4000 10780");

    expect((await cmq.getQueueAttributes(name)).deadLetterPolicy).toBeUndefined();
    expect((await cmq.listDeadLetterSourceQueues(dlq, { limit: 50 })).totalCount).toBe(6);
    expect((await cmq.listQueue({ limit: 50 })).totalCount).toBe(3 + 5);
    const listed = await cmq.call("ListDeadLetterSourceQueues", { deadLetterQueueName: dlq, limit: 51 });
    expect(listed.code).toBe(4000);
    const unknownDlq = await cmq.call("ListDeadLetterSourceQueues", { deadLetterQueueName: uniqueName("missing") });
    expect(unknownDlq.code).toBe(4440);
    const noName = await cmq.call("ListDeadLetterSourceQueues", {});
    expect([noName.code, noName.message.slice(0, 7)]).toEqual([4000, "(10010)"]);
    const unbindMissing = await cmq.call("UnbindDeadLetterQueue", { queueName: uniqueName("missing") });
    expect(unbindMissing.code).toBe(4440);
  });
});

function throwUnlessOk(response: Awaited<ReturnType<CmqClient["call"]>>) {
  if (response.code !== 0) throw new CmqClientError(response);
  return response;
}

test("a message moved to the DLQ on one app process wakes a receiver waiting on the DLQ on another", async ({
  api,
  playwright,
  owner,
  baseURL,
}) => {
  const port = Number(new URL(String(baseURL)).port) + 76; // others: +50, +60, +61, +70, +80, +81, +87
  const { server: second, url: other, ready } = await startAppServer(port);
  try {
    await ready;
    const listening = async () =>
      (
        await getPool().query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
           WHERE datname = current_database() AND application_name LIKE 'opencmq-wake:%' AND query LIKE 'LISTEN%'`,
        )
      ).rows[0]?.n ?? 0;
    await expect.poll(listening, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    await sleep(1500); // each process announces once it has seen a peer
    const dlq = await createQueue(api, { name: uniqueName("dlq") });
    const name = uniqueName("src");
    await createQueue(api, { name, deadLetter: { queue: dlq.name, policy: "maxReceiveCount", maxReceiveCount: 1 } });
    await api.post(`/api/v1/queues/${name}/messages`, { data: { messages: [{ body: "poison" }] } });
    expect(await receive(api, name)).toHaveLength(1);
    await sleep(1100);
    const otherApi = await playwright.request.newContext({
      baseURL: other,
      extraHTTPHeaders: { authorization: basicAuth(owner.secretId, owner.secretKey) },
    });
    // A listening process re-checks idle queues every 10 s: within this 5 s wait only the announcement delivers.
    const started = Date.now();
    const waiting = otherApi.post(`/api/v1/queues/${dlq.name}/messages/receive`, { data: { waitSeconds: 5 } });
    await sleep(300);
    expect(await receive(api, name)).toEqual([]); // moved on this process
    const got = await (await waiting).json();
    expect(got.messages.map((m: { body: string }) => m.body)).toEqual(["poison"]);
    expect(Date.now() - started).toBeLessThan(3000);
    await otherApi.dispose();
  } finally {
    await stopAppServer(second);
  }
});
