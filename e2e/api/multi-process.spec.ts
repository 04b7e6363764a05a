import { getPool } from "@/lib/db/pool";
import { startAppServer, stopAppServer } from "../app-server";
import { basicAuth, expect, test, uniqueName } from "../fixtures";

// Two app processes over one database, as when scaling out: a receiver long-polling on one is woken
// by a send on the other (Postgres NOTIFY). A listening process re-checks idle queues only every
// 10 s, and every wait here is 5 s: a message that arrives within one came by the announcement.
const WAIT_SECONDS = 5;

/** App processes listening for each other's sends (their LISTEN connections). */
async function listeningProcesses() {
  const { rows } = await getPool().query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity
     WHERE datname = current_database() AND application_name LIKE 'opencmq-wake:%' AND query LIKE 'LISTEN%'`,
  );
  return rows[0]?.n ?? 0;
}

test("a send on one app process wakes a receiver waiting on another", async ({ api, playwright, owner, baseURL }) => {
  const port = Number(new URL(String(baseURL)).port) + 50;
  const { server: second, url: other, ready } = await startAppServer(port);
  try {
    await ready;
    await expect.poll(listeningProcesses, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    // Each process checks for peers every second, and announces only once it has seen one.
    await new Promise((r) => setTimeout(r, 1500));
    const name = uniqueName("scale");
    await api.post("/api/v1/queues", { data: { name } });
    const otherApi = await playwright.request.newContext({
      baseURL: other,
      extraHTTPHeaders: { authorization: basicAuth(owner.secretId, owner.secretKey) },
    });
    const receive = () =>
      otherApi.post(`/api/v1/queues/${name}/messages/receive`, { data: { waitSeconds: WAIT_SECONDS } });
    for (let i = 0; i < 5; i++) {
      const receiving = receive();
      await new Promise((r) => setTimeout(r, 300)); // the receiver parks first
      await api.post(`/api/v1/queues/${name}/messages`, { data: { messages: [{ body: `m${i}` }] } });
      const got = await (await receiving).json();
      expect(got.messages.map((m: { body: string }) => m.body)).toEqual([`m${i}`]);
      await otherApi.post(`/api/v1/queues/${name}/messages/delete`, {
        data: { receiptHandles: [got.messages[0].receiptHandle] },
      });
    }
    // A delayed send on one process wakes the other's waiter when the delay ends, not at its re-check.
    const delayed = receive();
    await new Promise((r) => setTimeout(r, 300));
    await api.post(`/api/v1/queues/${name}/messages`, { data: { messages: [{ body: "later", delaySeconds: 1 }] } });
    expect((await (await delayed).json()).messages.map((m: { body: string }) => m.body)).toEqual(["later"]);
    await otherApi.dispose();
  } finally {
    await stopAppServer(second);
  }
});
