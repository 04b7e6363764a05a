import { indexed } from "@/lib/cmq/client";
import { expect, test, uniqueName } from "../fixtures";

const handlePattern = /^[a-zA-Z0-9%#:_-]{1,256}$/;

test.describe("CMQ message actions", () => {
  test("SendMessage, ReceiveMessage, DeleteMessage with CMQ's field names and JSON types", async ({ cmq }) => {
    const q = uniqueName("cmq-msg");
    await cmq.createQueue(q);
    const sent = await cmq.sendMessage(q, "hello + world & more=1");
    expect(typeof sent.msgId).toBe("string");
    const got = await cmq.call("ReceiveMessage", { queueName: q, pollingWaitSeconds: 0 });
    expect(got).toMatchObject({
      code: 0,
      message: "",
      msgId: sent.msgId,
      msgBody: "hello + world & more=1",
      dequeueCount: 1,
    });
    for (const f of ["enqueueTime", "firstDequeueTime", "nextVisibleTime"]) expect(typeof got[f]).toBe("number");
    expect(Number(got.nextVisibleTime) - Number(got.firstDequeueTime)).toBe(30);
    expect(String(got.receiptHandle)).toMatch(handlePattern);
    expect((await cmq.deleteMessage(q, String(got.receiptHandle))).code).toBe(0);
    const again = await cmq.call("DeleteMessage", { queueName: q, receiptHandle: String(got.receiptHandle) });
    expect(again.code).toBe(4430);
    expect(again.message).toMatch(/^\(10260\)/);
  });

  test("a queueName no queue can have is a missing queue (4440) for every message action", async ({ cmq }) => {
    for (const [action, params] of [
      ["SendMessage", { msgBody: "x" }],
      ["BatchSendMessage", { "msgBody.1": "x" }],
      ["ReceiveMessage", { pollingWaitSeconds: 0 }],
      ["BatchReceiveMessage", { numOfMsg: 2, pollingWaitSeconds: 0 }],
      ["DeleteMessage", { receiptHandle: "1:00" }],
      ["BatchDeleteMessage", { "receiptHandle.1": "1:00" }],
    ] as const) {
      const res = await cmq.call(action, { queueName: "9 no such name!", ...params });
      expect([res.code, res.message], action).toEqual([4440, '(10100)Queue "9 no such name!" does not exist.']);
    }
  });

  test("an empty queue answers 7000 after the long-poll wait; a send wakes a waiting receiver", async ({ cmq }) => {
    const q = uniqueName("cmq-poll");
    await cmq.createQueue(q);
    const t0 = Date.now();
    const empty = await cmq.call("ReceiveMessage", { queueName: q, pollingWaitSeconds: 1 });
    expect(empty).toMatchObject({ code: 7000, message: "(10200)no message" });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    const waiting = cmq.receiveMessage(q, 20);
    await new Promise((r) => setTimeout(r, 300));
    const sentAt = Date.now();
    await cmq.sendMessage(q, "wake up");
    expect((await waiting)?.msgBody).toBe("wake up");
    expect(Date.now() - sentAt).toBeLessThan(1000);
  });

  test("BatchSendMessage 16, BatchReceiveMessage, BatchDeleteMessage; arrays may start at 0", async ({ cmq }) => {
    const q = uniqueName("cmq-batch");
    await cmq.createQueue(q);
    const bodies = Array.from({ length: 16 }, (_, i) => `body-${i}`);
    const sent = await cmq.batchSendMessage(q, bodies);
    expect(sent.msgList).toHaveLength(16);
    const zeroBased = await cmq.call("BatchSendMessage", { queueName: q, ...indexed("msgBody", ["z0", "z1"], 0) });
    expect(zeroBased.code).toBe(0);
    const got = await cmq.batchReceiveMessage(q, 16, 0);
    expect(got.map((m) => m.msgBody)).toEqual(bodies);
    expect(got.map((m) => m.msgId)).toEqual(sent.msgList.map((m) => m.msgId));
    expect(
      (
        await cmq.batchDeleteMessage(
          q,
          got.map((m) => m.receiptHandle),
        )
      ).code,
    ).toBe(0);
    const rest = await cmq.batchReceiveMessage(q, 16, 0);
    expect(rest.map((m) => m.msgBody)).toEqual(["z0", "z1"]);

    const partial = await cmq.call("BatchDeleteMessage", {
      queueName: q,
      ...indexed("receiptHandle", [rest[0]?.receiptHandle ?? "", "not-a-handle"]),
    });
    expect(partial).toMatchObject({
      code: 6010,
      errorList: [{ code: 4430, receiptHandle: "not-a-handle", message: expect.any(String) }],
    });
    const allFailed = await cmq.call("BatchDeleteMessage", { queueName: q, ...indexed("receiptHandle", ["x", "y"]) });
    expect(allFailed.code).toBe(6020);
    expect(allFailed.errorList).toHaveLength(2);
    const attrs = await cmq.getQueueAttributes(q);
    expect(attrs).toMatchObject({ activeMsgNum: 0, inactiveMsgNum: 1 });
  });

  test("limits at their edge and one past; nothing is stored by a refused send", async ({ cmq }) => {
    const q = uniqueName("cmq-limits");
    await cmq.createQueue(q, { maxMsgSize: 1024 });
    const cases: [string, Record<string, string | number | undefined>, number, RegExp?][] = [
      [
        "17 bodies",
        indexed(
          "msgBody",
          Array.from({ length: 17 }, (_, i) => `b${i}`),
        ),
        4000,
        /^\(10370\)/,
      ],
      ["gap in indices", { "msgBody.1": "a", "msgBody.3": "c" }, 4000, /^\(10380\)/],
      ["starting at 2", { "msgBody.2": "a", "msgBody.3": "c" }, 4000, /^\(10380\)/],
      ["no bodies", {}, 4000],
      ["one body too large", indexed("msgBody", ["ok", "x".repeat(1025)]), 4400],
      ["delay 3601", { ...indexed("msgBody", ["a"]), delaySeconds: 3601 }, 4000],
      ["delay not a number", { ...indexed("msgBody", ["a"]), delaySeconds: "soon" }, 4000],
    ];
    for (const [label, params, code, message] of cases) {
      const res = await cmq.call("BatchSendMessage", { queueName: q, ...params });
      expect(res.code, label).toBe(code);
      if (message) expect(res.message, label).toMatch(message);
    }
    expect((await cmq.call("SendMessage", { queueName: q, msgBody: "" })).code).toBe(4000);
    expect((await cmq.call("SendMessage", { queueName: q, msgBody: "x".repeat(1025) })).code).toBe(4400);
    expect((await cmq.call("SendMessage", { queueName: q, msgBody: "x".repeat(1024), delaySeconds: 3600 })).code).toBe(
      0,
    );
    expect((await cmq.call("SendMessage", { queueName: uniqueName("nope"), msgBody: "x" })).code).toBe(4440);
    expect((await cmq.call("BatchReceiveMessage", { queueName: q, numOfMsg: 17 })).code).toBe(4000);
    expect((await cmq.call("BatchReceiveMessage", { queueName: q, numOfMsg: 0 })).code).toBe(4000);
    expect((await cmq.call("ReceiveMessage", { queueName: q, pollingWaitSeconds: 31 })).code).toBe(4000);
    expect((await cmq.call("DeleteMessage", { queueName: q })).code).toBe(4000);
    const attrs = await cmq.getQueueAttributes(q);
    expect(attrs).toMatchObject({ activeMsgNum: 0, delayMsgNum: 1, inactiveMsgNum: 0 });
  });

  test("a message sent through one API is received through the other", async ({ cmq, api }) => {
    const q = uniqueName("cross");
    await cmq.createQueue(q);
    const viaCmq = await cmq.sendMessage(q, "from cmq");
    const rest = await (await api.post(`/api/v1/queues/${q}/messages/receive`, { data: { max: 16 } })).json();
    expect(rest.messages.map((m: { id: string; body: string }) => [m.id, m.body])).toEqual([
      [viaCmq.msgId, "from cmq"],
    ]);
    const restHandle = rest.messages[0].receiptHandle;

    const sent = await (
      await api.post(`/api/v1/queues/${q}/messages`, { data: { messages: [{ body: "from rest" }] } })
    ).json();
    const got = await cmq.receiveMessage(q, 0);
    expect(got).toMatchObject({ msgId: sent.messages[0].id, msgBody: "from rest" });
    // Receipt handles work across APIs too.
    expect((await cmq.deleteMessage(q, restHandle)).code).toBe(0);
    const del = await api.post(`/api/v1/queues/${q}/messages/delete`, {
      data: { receiptHandles: [got?.receiptHandle] },
    });
    expect(await del.json()).toEqual({ deleted: 1, failed: [] });
  });
});

test.describe("CMQ limit codes", () => {
  test("4470 batch over 1 MiB, 4410 queue full, 4450 too many queues — each changing nothing", async ({
    cmq,
    owner,
    api,
  }) => {
    const { getPool } = await import("@/lib/db/pool");
    const big = uniqueName("big");
    await cmq.createQueue(big, { maxMsgSize: 1048576 });
    const half = "x".repeat(600 * 1024);
    const tooMuch = await cmq.call("BatchSendMessage", { queueName: big, ...indexed("msgBody", [half, half]) });
    expect(tooMuch.code).toBe(4470);
    const rest = await api.post(`/api/v1/queues/${big}/messages`, {
      data: { messages: [{ body: half }, { body: half }] },
    });
    expect(rest.status()).toBe(413);
    expect((await rest.json()).error.code).toBe("BATCH_TOO_LARGE");
    expect((await cmq.getQueueAttributes(big)).activeMsgNum).toBe(0);

    // A queue the stats sweep found at its maxMsgHeapNum refuses sends (first lookup reads the figures).
    const full = uniqueName("full");
    const created = await cmq.createQueue(full, { maxMsgHeapNum: 1000000 });
    await getPool().query(
      `INSERT INTO queue_stats (queue_id, total, visible, in_flight, delayed, computed_at) VALUES ($1, 1000000, 1000000, 0, 0, now())`,
      [created.queueId],
    );
    const refused = await cmq.call("SendMessage", { queueName: full, msgBody: "one more" });
    expect(refused.code).toBe(4410);
    const restRefused = await api.post(`/api/v1/queues/${full}/messages`, { data: { messages: [{ body: "x" }] } });
    expect(restRefused.status()).toBe(429);
    expect((await restRefused.json()).error.code).toBe("QUEUE_FULL");

    await getPool().query(
      `INSERT INTO queue (account_id, name, visibility_timeout, polling_wait_seconds, max_msg_size, msg_retention_seconds, max_msg_heap_num, rewind_seconds)
       SELECT $1, 'filler' || g, 30, 0, 65536, 345600, 100000000, 0 FROM generate_series(1, 998) g`,
      [owner.accountId],
    );
    const limit = await cmq.call("CreateQueue", { queueName: uniqueName("over") });
    expect(limit.code).toBe(4450);
    expect((await cmq.listQueue()).totalCount).toBe(1000);
  });
});
