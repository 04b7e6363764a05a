import { type ChildProcess, spawn } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/pool";
import { hasWakePeers, startCrossProcessWake, stopCrossProcessWake } from "@/lib/services/cross-process-wake";
import { publishMessages } from "@/lib/services/publish";
import { createSubscription } from "@/lib/services/subscriptions";
import { createTopic } from "@/lib/services/topics";
import { createTestPrincipal, uniqueName } from "@/lib/testing/fixtures";

// Issue 11: a publish wakes the push worker of every app process, not only its own. This test process
// publishes (and runs no push worker); a second process (lib/push/wake-peer.ts) runs the only worker
// for the subscription, polling once a minute. The push arriving within seconds was announced to it.

const peerPollMs = 60_000;
const children: ChildProcess[] = [];
const servers: http.Server[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
  }
  for (const server of servers.splice(0)) await new Promise((r) => server.close(r));
  await stopCrossProcessWake();
});

async function until(ok: () => boolean | Promise<boolean>, ms: number, what: string) {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("push wake-up across processes", () => {
  it("a publish in this process wakes another process's push worker at once (its poll is 60 s)", async () => {
    const arrived: { at: number; body: string }[] = [];
    const server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (chunk) => {
        body += chunk;
      });
      req.on("end", () => {
        arrived.push({ at: performance.now(), body });
        res.end("ok");
      });
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as AddressInfo;

    const p = await createTestPrincipal();
    const topic = await createTopic(p, { name: uniqueName("t"), filterType: "tag" });
    await createSubscription(p, {
      topicName: topic.name,
      input: { name: "hook", protocol: "http", endpoint: `http://127.0.0.1:${port}/hook` },
    });
    const { rows } = await getPool().query<{ id: string }>(
      "SELECT id::text FROM subscription WHERE topic_id = $1 AND name = 'hook'",
      [topic.id],
    );

    startCrossProcessWake();
    const child = spawn("npx", ["tsx", "lib/push/wake-peer.ts", rows[0]?.id ?? "", String(peerPollMs)], {
      env: process.env,
      stdio: ["ignore", "pipe", "inherit"],
    });
    children.push(child);
    let output = "";
    child.stdout?.on("data", (chunk) => {
      output += chunk;
    });
    await until(() => output.includes("ready"), 30_000, "the peer process");
    // This process announces once it has seen the peer's listener (checked each second).
    await until(hasWakePeers, 5000, "the peer's listener to be seen");

    const started = performance.now();
    const body = uniqueName("pushed");
    await publishMessages(p, { topicName: topic.name, messages: [{ body }] });
    await until(() => arrived.length > 0, 15_000, "the push");
    const latencyMs = (arrived[0]?.at ?? 0) - started;
    expect(arrived[0]?.body).toContain(body);
    // Well below the peer's poll: only the announcement can have woken it.
    expect(latencyMs).toBeLessThan(peerPollMs / 6);
  }, 60_000);
});
