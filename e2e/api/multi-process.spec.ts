import { startAppServer, stopAppServer } from "../app-server";
import { basicAuth, expect, test, uniqueName } from "../fixtures";

// Two app processes over one database, as when scaling out: a receiver long-polling on one is woken
// within milliseconds by a send on the other (Postgres NOTIFY), not by the 1 s recheck.
test("a send on one app process wakes a receiver waiting on another", async ({ api, playwright, owner, baseURL }) => {
  const port = Number(new URL(String(baseURL)).port) + 50;
  const { server: second, url: other, ready } = await startAppServer(port);
  try {
    await ready;
    // Each process notices its peers within a second (before that, a lone process announces nothing).
    await new Promise((r) => setTimeout(r, 1500));
    const name = uniqueName("scale");
    await api.post("/api/v1/queues", { data: { name } });
    const otherApi = await playwright.request.newContext({
      baseURL: other,
      extraHTTPHeaders: { authorization: basicAuth(owner.secretId, owner.secretKey) },
    });
    const latencies: number[] = [];
    for (let i = 0; i < 5; i++) {
      const receiving = otherApi.post(`/api/v1/queues/${name}/messages/receive`, { data: { waitSeconds: 10 } });
      await new Promise((r) => setTimeout(r, 300));
      const sentAt = Date.now();
      await api.post(`/api/v1/queues/${name}/messages`, { data: { messages: [{ body: `m${i}` }] } });
      const got = await (await receiving).json();
      latencies.push(Date.now() - sentAt);
      expect(got.messages.map((m: { body: string }) => m.body)).toEqual([`m${i}`]);
      await otherApi.post(`/api/v1/queues/${name}/messages/delete`, {
        data: { receiptHandles: [got.messages[0].receiptHandle] },
      });
    }
    // A delayed send on one process wakes the other's waiter when the delay ends, not at its re-check.
    const delayed = otherApi.post(`/api/v1/queues/${name}/messages/receive`, { data: { waitSeconds: 10 } });
    await new Promise((r) => setTimeout(r, 300));
    const delayedAt = Date.now();
    await api.post(`/api/v1/queues/${name}/messages`, { data: { messages: [{ body: "later", delaySeconds: 1 }] } });
    expect((await (await delayed).json()).messages.map((m: { body: string }) => m.body)).toEqual(["later"]);
    expect(Date.now() - delayedAt).toBeLessThan(1500);
    latencies.sort((a, b) => a - b);
    // Well under the 1 s recheck that would otherwise find the message.
    expect(latencies[2]).toBeLessThan(250);
    await otherApi.dispose();
  } finally {
    await stopAppServer(second);
  }
});
