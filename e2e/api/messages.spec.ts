import { expect, test, uniqueName } from "../fixtures";

test.describe("messages", () => {
  test.use({ checkedAgainstOpenApi: true });

  test("send, peek, receive, delete — one journey", async ({ api }) => {
    const name = uniqueName("jobs");
    await api.post("/api/v1/queues", { data: { name, visibilityTimeout: 60 } });
    const sent = await api.post(`/api/v1/queues/${name}/messages`, {
      data: { messages: [{ body: "first" }, { body: "second", tags: ["red"] }, { body: "later", delaySeconds: 600 }] },
    });
    expect(sent.status()).toBe(201);
    const ids = (await sent.json()).messages.map((m: { id: string }) => m.id);
    expect(ids).toHaveLength(3);

    const peek = await (await api.get(`/api/v1/queues/${name}/messages?state=all`)).json();
    expect(peek.messages.map((m: { body: string; state: string }) => [m.body, m.state])).toEqual([
      ["first", "visible"],
      ["second", "visible"],
      ["later", "delayed"],
    ]);
    const peekAgain = await (await api.get(`/api/v1/queues/${name}/messages?state=visible`)).json();
    expect(peekAgain.messages.every((m: { dequeueCount: number }) => m.dequeueCount === 0)).toBe(true);

    const received = await (await api.post(`/api/v1/queues/${name}/messages/receive`, { data: { max: 16 } })).json();
    expect(received.messages.map((m: { body: string }) => m.body)).toEqual(["first", "second"]);
    expect(received.messages[1]).toMatchObject({ id: ids[1], tags: ["red"], dequeueCount: 1 });

    const queue = await (await api.get(`/api/v1/queues/${name}`)).json();
    expect(queue.counts).toEqual({ visible: 0, inFlight: 2, delayed: 1, rewindable: 0, dead: 0 });
    expect(queue.countsAreExact).toBe(true);

    const handles = received.messages.map((m: { receiptHandle: string }) => m.receiptHandle);
    const del = await api.post(`/api/v1/queues/${name}/messages/delete`, {
      data: { receiptHandles: [...handles, "bogus"] },
    });
    expect(del.status()).toBe(200);
    expect(await del.json()).toEqual({
      deleted: 2,
      failed: [{ receiptHandle: "bogus", code: "RECEIPT_HANDLE_INVALID", message: expect.any(String) }],
    });
    const after = await (await api.get(`/api/v1/queues/${name}`)).json();
    expect(after.counts).toEqual({ visible: 0, inFlight: 0, delayed: 1, rewindable: 0, dead: 0 });
  });

  test("an empty receive returns 200 with no messages after the wait", async ({ api }) => {
    const name = uniqueName("empty");
    await api.post("/api/v1/queues", { data: { name } });
    const t0 = Date.now();
    const res = await api.post(`/api/v1/queues/${name}/messages/receive`, { data: { waitSeconds: 1 } });
    expect(res.status()).toBe(200);
    expect(await res.json()).toEqual({ messages: [] });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
  });

  test("long polling over HTTP wakes on a send", async ({ api }) => {
    const name = uniqueName("wake");
    await api.post("/api/v1/queues", { data: { name } });
    // The server re-checks idle queues every 10 s: within this 5 s wait only the send's wake-up delivers.
    const receiving = api.post(`/api/v1/queues/${name}/messages/receive`, { data: { waitSeconds: 5 } });
    await new Promise((r) => setTimeout(r, 500));
    await api.post(`/api/v1/queues/${name}/messages`, { data: { messages: [{ body: "ping" }] } });
    const res = await receiving;
    expect((await res.json()).messages.map((m: { body: string }) => m.body)).toEqual(["ping"]);
  });

  test("bad sends get their own codes and store nothing", async ({ api }) => {
    const name = uniqueName("strict");
    await api.post("/api/v1/queues", { data: { name, maxMsgSize: 1024 } });
    const url = `/api/v1/queues/${name}/messages`;
    const seventeen = Array.from({ length: 17 }, (_, i) => ({ body: `m${i}` }));
    const cases: [string, unknown, number, string][] = [
      ["17 messages", { messages: seventeen }, 400, "BATCH_SIZE_INVALID"],
      ["no messages", { messages: [] }, 400, "BATCH_SIZE_INVALID"],
      ["missing messages", {}, 400, "INVALID_INPUT"],
      ["body not a string", { messages: [{ body: 5 }] }, 400, "INVALID_INPUT"],
      ["delay over 3600", { messages: [{ body: "x", delaySeconds: 3601 }] }, 400, "INVALID_INPUT"],
      ["negative delay", { messages: [{ body: "x", delaySeconds: -1 }] }, 400, "INVALID_INPUT"],
      ["six tags", { messages: [{ body: "x", tags: ["a", "b", "c", "d", "e", "f"] }] }, 400, "INVALID_INPUT"],
      ["empty body", { messages: [{ body: "" }] }, 400, "MESSAGE_BODY_EMPTY"],
      ["body over maxMsgSize", { messages: [{ body: "ok" }, { body: "x".repeat(1025) }] }, 413, "MESSAGE_TOO_LARGE"],
      ["multi-byte body over maxMsgSize", { messages: [{ body: "é".repeat(513) }] }, 413, "MESSAGE_TOO_LARGE"],
    ];
    for (const [label, data, status, code] of cases) {
      const res = await api.post(url, { data });
      expect(res.status(), label).toBe(status);
      expect((await res.json()).error.code, label).toBe(code);
    }
    const huge = await api.post(url, { data: { messages: [{ body: "x".repeat(5 * 1024 * 1024) }] } });
    expect(huge.status()).toBe(413);
    expect((await huge.json()).error.code).toBe("REQUEST_TOO_LARGE");
    const missing = await api.post(`/api/v1/queues/${uniqueName("nope")}/messages`, {
      data: { messages: [{ body: "x" }] },
    });
    expect(missing.status()).toBe(404);
    expect((await missing.json()).error.code).toBe("QUEUE_NOT_FOUND");

    // The maximum is accepted: exactly maxMsgSize bytes, and 16 messages.
    const edge = await api.post(url, {
      data: { messages: Array.from({ length: 16 }, () => ({ body: "y".repeat(1024) })) },
    });
    expect(edge.status()).toBe(201);
    const page = await (await api.get(`${url}?state=all&limit=100`)).json();
    expect(page.messages).toHaveLength(16);
    expect(page.messages.every((m: { body: string }) => m.body === "y".repeat(1024))).toBe(true);
  });

  test("bad receives and deletes are refused and consume nothing", async ({ api }) => {
    const name = uniqueName("careful");
    await api.post("/api/v1/queues", { data: { name } });
    await api.post(`/api/v1/queues/${name}/messages`, { data: { messages: [{ body: "keep" }] } });
    const receive = `/api/v1/queues/${name}/messages/receive`;
    for (const data of [
      { max: 17 },
      { max: 0 },
      { waitSeconds: 31 },
      { visibilityTimeout: 0 },
      { max: "2" },
      { extra: 1 },
    ]) {
      const res = await api.post(receive, { data });
      expect(res.status(), JSON.stringify(data)).toBe(400);
      expect((await res.json()).error.code).toBe("INVALID_INPUT");
    }
    const del = `/api/v1/queues/${name}/messages/delete`;
    const handles17 = Array.from({ length: 17 }, (_, i) => `${i}:00000000000000000000000000000000`);
    expect((await (await api.post(del, { data: { receiptHandles: handles17 } })).json()).error.code).toBe(
      "BATCH_SIZE_INVALID",
    );
    expect((await (await api.post(del, { data: { receiptHandles: [] } })).json()).error.code).toBe(
      "BATCH_SIZE_INVALID",
    );
    expect((await api.post(del, { data: { receiptHandles: [7] } })).status()).toBe(400);
    const peek = await (await api.get(`/api/v1/queues/${name}/messages?state=visible`)).json();
    expect(peek.messages.map((m: { body: string; dequeueCount: number }) => [m.body, m.dequeueCount])).toEqual([
      ["keep", 0],
    ]);
    for (const q of ["state=gone", "limit=0", "limit=101", "cursor=abc", "x=1"]) {
      const res = await api.get(`/api/v1/queues/${name}/messages?${q}`);
      expect(res.status(), q).toBe(400);
    }
  });

  test("peek pages with a cursor through every message exactly once, without side effects", async ({ api }) => {
    const name = uniqueName("pages");
    await api.post("/api/v1/queues", { data: { name } });
    for (let batch = 0; batch < 3; batch++) {
      const messages = Array.from({ length: 16 }, (_, i) => ({ body: `msg-${batch * 16 + i}` }));
      expect((await api.post(`/api/v1/queues/${name}/messages`, { data: { messages } })).status()).toBe(201);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/queues/${name}/messages?limit=10${cursor ? `&cursor=${cursor}` : ""}`;
      const page: { messages: { body: string }[]; nextCursor: string | null } = await (await api.get(url)).json();
      seen.push(...page.messages.map((m) => m.body));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(Array.from({ length: 48 }, (_, i) => `msg-${i}`));
    const searched = await (await api.get(`/api/v1/queues/${name}/messages?search=MSG-4`)).json();
    expect(searched.messages.map((m: { body: string }) => m.body)).toEqual([
      "msg-4",
      "msg-40",
      "msg-41",
      "msg-42",
      "msg-43",
      "msg-44",
      "msg-45",
      "msg-46",
      "msg-47",
    ]);
    const queue = await (await api.get(`/api/v1/queues/${name}`)).json();
    expect(queue.counts.visible).toBe(48);
  });
});
