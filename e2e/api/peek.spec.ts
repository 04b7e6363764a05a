import { expect, test, uniqueName } from "../fixtures";

// GET /queues/{name}/messages (one filter's page, previews, totals) and /messages/{id} (whole body)
// over HTTP, checked against the OpenAPI document.

test.describe("peek", () => {
  test.use({ checkedAgainstOpenApi: true });

  test("filters, totals and one message in full; bad input refused", async ({ api }) => {
    const name = uniqueName("peek");
    expect((await api.post("/api/v1/queues", { data: { name, maxMsgSize: 65_536 } })).status()).toBe(201);
    const long = `{"k":"${"v".repeat(5000)}"}`;
    const sent = await api.post(`/api/v1/queues/${name}/messages`, {
      data: {
        messages: [
          { body: long, tags: ["big"] },
          { body: "small", delaySeconds: 600 },
        ],
      },
    });
    const [bigId, smallId] = (await sent.json()).messages.map((m: { id: string }) => m.id);

    const page = await (await api.get(`/api/v1/queues/${name}/messages`)).json();
    expect(page.totals).toMatchObject({ all: 2, visible: 1, delayed: 1, inFlight: 0, dead: 0, rewindable: 0 });
    expect(page.totals.isApproximate).toBe(false);
    expect(page.searched).toBeNull();
    expect(page.messages.map((m: { id: string }) => m.id)).toEqual([bigId, smallId]);
    expect(page.messages[0]).toMatchObject({
      bodyTruncated: true,
      sizeBytes: long.length,
      tags: ["big"],
      isDead: false,
    });
    expect(page.messages[0].body).toBe(long.slice(0, 2048));

    const byTag = await (await api.get(`/api/v1/queues/${name}/messages?tag=big&state=visible`)).json();
    expect(byTag.messages.map((m: { id: string }) => m.id)).toEqual([bigId]);
    const searched = await (await api.get(`/api/v1/queues/${name}/messages?search=SMALL`)).json();
    expect(searched.messages.map((m: { id: string }) => m.id)).toEqual([smallId]);
    expect(searched.searched).toEqual({ rows: 2, bytes: long.length + 5, stoppedBy: null });
    const byId = await (await api.get(`/api/v1/queues/${name}/messages?id=${smallId}`)).json();
    expect(byId.messages.map((m: { state: string }) => m.state)).toEqual(["delayed"]);

    const one = await api.get(`/api/v1/queues/${name}/messages/${bigId}`);
    expect(one.status()).toBe(200);
    expect(await one.json()).toMatchObject({ id: bigId, body: long, bodyTruncated: false, sizeBytes: long.length });

    const missing = await api.get(`/api/v1/queues/${name}/messages/987654321987`);
    expect(missing.status()).toBe(404);
    expect((await missing.json()).error.code).toBe("MESSAGE_NOT_FOUND");
    const noQueue = await api.get(`/api/v1/queues/${uniqueName("none")}/messages/${bigId}`);
    expect(noQueue.status()).toBe(404);
    expect((await noQueue.json()).error.code).toBe("QUEUE_NOT_FOUND");
    for (const bad of [
      "messages/12x",
      "messages/99999999999999999999",
      "messages?state=gone",
      "messages?id=-1",
      "messages?enqueuedFrom=2026-02-01T00:00:00Z&enqueuedBefore=2026-01-01T00:00:00Z",
      "messages?tag=",
      "messages?unknown=1",
    ]) {
      const res = await api.get(`/api/v1/queues/${name}/messages${bad.slice("messages".length)}`);
      expect(res.status(), bad).toBe(400);
      expect((await res.json()).error.code, bad).toBe("INVALID_INPUT");
    }
    // Nothing was received by looking.
    const after = await (await api.get(`/api/v1/queues/${name}/messages`)).json();
    expect(after.messages.map((m: { dequeueCount: number }) => m.dequeueCount)).toEqual([0, 0]);
  });
});
