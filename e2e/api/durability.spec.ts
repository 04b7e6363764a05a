import { getPool } from "@/lib/db/pool";
import { startAppServer } from "../app-server";
import { basicAuth, expect, test, uniqueName } from "../fixtures";

// DESIGN.md §4, invariant 1: a send that was acknowledged survives a crash of the app (kill -9).
test("every acknowledged send survives kill -9 of the app process mid-traffic", async ({ api, owner, baseURL }) => {
  const port = Number(new URL(String(baseURL)).port) + 60;
  const { server: victim, url: base, ready } = await startAppServer(port);
  await ready;
  const name = uniqueName("crash");
  await api.post("/api/v1/queues", { data: { name } });
  const acknowledged: string[] = [];
  let stop = false;
  const sender = async (n: number) => {
    for (let i = 0; !stop; i++) {
      try {
        const res = await fetch(`${base}/api/v1/queues/${name}/messages`, {
          method: "POST",
          headers: { authorization: basicAuth(owner.secretId, owner.secretKey), "content-type": "application/json" },
          body: JSON.stringify({ messages: Array.from({ length: 4 }, (_, j) => ({ body: `s${n}-${i}-${j}` })) }),
        });
        if (res.status === 201) acknowledged.push(...(await res.json()).messages.map((m: { id: string }) => m.id));
      } catch {
        return; // the server is gone
      }
    }
  };
  const senders = Array.from({ length: 8 }, (_, n) => sender(n));
  // Kill once traffic is flowing (the first requests of a cold process can take seconds on a busy
  // machine), not after a fixed time: the test is about what was acknowledged, not how fast.
  const deadline = Date.now() + 30_000;
  while (acknowledged.length <= 50 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  victim.kill("SIGKILL");
  stop = true;
  await Promise.all(senders);
  expect(acknowledged.length).toBeGreaterThan(50);
  const { rows } = await getPool().query<{ id: string }>("SELECT id::text FROM message WHERE id = ANY($1::bigint[])", [
    acknowledged,
  ]);
  expect(rows.length).toBe(acknowledged.length);
});
