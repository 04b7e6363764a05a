import { attributeEdges } from "../attribute-edges";
import { expect, test, uniqueName } from "../fixtures";

test.describe("CMQ queue actions", () => {
  test("CreateQueue, GetQueueAttributes, SetQueueAttributes, ListQueue, DeleteQueue", async ({ cmq }) => {
    const name = uniqueName("cmq");
    const created = await cmq.createQueue(name, { visibilityTimeout: 45, maxMsgSize: 2048 });
    expect(created).toMatchObject({ code: 0, message: "", queueId: expect.any(String), requestId: expect.any(String) });

    const attrs = await cmq.getQueueAttributes(name);
    expect(attrs).toMatchObject({
      code: 0,
      maxMsgHeapNum: 100000000,
      pollingWaitSeconds: 0,
      visibilityTimeout: 45,
      maxMsgSize: 2048,
      msgRetentionSeconds: 345600,
      rewindSeconds: 0,
      activeMsgNum: 0,
      inactiveMsgNum: 0,
      delayMsgNum: 0,
      rewindmsgNum: 0,
      minMsgTime: 0,
    });
    for (const field of ["createTime", "lastModifyTime"] as const) {
      expect(typeof attrs[field]).toBe("number");
      expect(Math.abs(attrs[field] - Date.now() / 1000)).toBeLessThan(60);
    }

    // The Python and Java SDKs send every attribute on set; the answer echoes the new values.
    const set = await cmq.setQueueAttributes(name, {
      pollingWaitSeconds: 30,
      visibilityTimeout: 43200,
      maxMsgSize: 65536,
      msgRetentionSeconds: 60,
      rewindSeconds: 0,
    });
    expect(set).toMatchObject({
      code: 0,
      pollingWaitSeconds: 30,
      visibilityTimeout: 43200,
      maxMsgSize: 65536,
      msgRetentionSeconds: 60,
      rewindSeconds: 0,
      maxMsgHeapNum: 100000000,
    });

    const other = uniqueName("cmq-other");
    await cmq.createQueue(other);
    const listed = await cmq.listQueue();
    expect(listed.totalCount).toBe(2);
    expect(listed.queueList.map((q) => q.queueName).sort()).toEqual([name, other].sort());
    const searched = await cmq.listQueue({ searchWord: other.slice(0, 14) });
    expect(searched).toMatchObject({ totalCount: 1, queueList: [{ queueName: other }] });
    const paged = await cmq.listQueue({ offset: 1, limit: 1 });
    expect(paged.totalCount).toBe(2);
    expect(paged.queueList).toHaveLength(1);

    expect((await cmq.deleteQueue(name)).code).toBe(0);
    const gone = await cmq.call("GetQueueAttributes", { queueName: name });
    expect(gone.code).toBe(4440);
    expect(gone.message).toMatch(/^\(10100\)/);
  });

  test("errors: duplicate name (any case), bad name, missing queue, dead-letter policy, list limit", async ({
    cmq,
  }) => {
    const name = uniqueName("cmq-dup");
    await cmq.createQueue(name);
    const dup = await cmq.call("CreateQueue", { queueName: name.toUpperCase() });
    expect(dup.code).toBe(4460);
    for (const bad of ["9lives", "has space", "a".repeat(65)]) {
      const res = await cmq.call("CreateQueue", { queueName: bad });
      expect(res.code, bad).toBe(4000);
      expect(res.message).toMatch(/^\(10020\)/);
    }
    expect((await cmq.call("CreateQueue", {})).code).toBe(4000);
    const dlq = await cmq.call("CreateQueue", {
      queueName: uniqueName("d"),
      deadLetterPolicy: '{"deadLetterQueue":"x","policy":0}',
    });
    expect(dlq.code).toBe(4000);
    for (const action of ["SetQueueAttributes", "DeleteQueue", "GetQueueAttributes"]) {
      const res = await cmq.call(action, { queueName: uniqueName("missing"), visibilityTimeout: 5 });
      expect(res.code, action).toBe(4440);
    }
    expect((await cmq.call("ListQueue", { limit: 50 })).code).toBe(0);
    expect((await cmq.call("ListQueue", { limit: 51 })).code).toBe(4000);
    expect((await cmq.call("ListQueue", { offset: -1 })).code).toBe(4000);
    expect((await cmq.call("ListQueue", { limit: "ten" })).code).toBe(4000);
    expect((await cmq.listQueue()).totalCount).toBe(1);
  });

  test("every attribute at its edge and one past it; a rejected value changes nothing", async ({ cmq }) => {
    const edges = attributeEdges;
    const name = uniqueName("cmq-edges");
    await cmq.createQueue(name);
    for (const [field, ok, bad] of edges) {
      const good = await cmq.call("CreateQueue", { queueName: uniqueName("e"), [field]: ok });
      expect(good.code, `${field}=${ok}`).toBe(0);
      const rejected = await cmq.call("CreateQueue", { queueName: uniqueName("e"), [field]: bad });
      expect(rejected.code, `${field}=${bad}`).toBe(4000);
      expect(rejected.message).toContain(field);
      const setBad = await cmq.call("SetQueueAttributes", { queueName: name, [field]: bad });
      expect(setBad.code, `set ${field}=${bad}`).toBe(4000);
    }
    expect((await cmq.listQueue({ limit: 50 })).totalCount).toBe(1 + edges.length);
    const attrs = await cmq.getQueueAttributes(name);
    expect(attrs).toMatchObject({
      visibilityTimeout: 30,
      pollingWaitSeconds: 0,
      maxMsgSize: 65536,
      msgRetentionSeconds: 345600,
    });
  });
});
