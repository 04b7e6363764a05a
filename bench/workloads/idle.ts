import type { Harness } from "../context";
import type { Usage } from "../meter";

// W6 idle long-pollers: N receivers wait (REST waitSeconds 20 / CMQ pollingWaitSeconds 20) spread
// over 100 empty queues, and nothing is sent. Measured once every request is parked, for a window
// that ends before the 20 s wait does: CPU of the app and of Postgres, database transactions and
// statements per second. Phases: no waiters (the idle server's own background work), one waiter per
// queue, then ten per queue — polling per waiter would make the last phase ~10x the second.

export type IdlePhase = { api: "rest" | "cmq"; waiters: number; queues: number; usage: Usage; errors: string[] };

/**
 * Waits at least `minMs`, then until the database is down to its idle rhythm: every receive runs
 * a few statements before it parks, so 1,000 arriving waiters take a moment to settle. Gives up
 * after 10 s (the window must end well before the 20 s wait does).
 */
async function settle(h: Harness, minMs: number, queues: number) {
  await new Promise((r) => setTimeout(r, minMs));
  if (!h.server.hasStatements) return;
  const calls = async () =>
    Number((await h.pool.query<{ n: string }>("SELECT sum(calls)::text AS n FROM pg_stat_statements")).rows[0]?.n ?? 0);
  const deadline = Date.now() + 10_000 - minMs;
  let last = await calls();
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    const now = await calls();
    // Idle rhythm: about two statements per queue per second (the waiters' periodic re-check).
    if (now - last <= queues * 1.5 + 20) return;
    last = now;
  }
}

export async function runIdle(
  h: Harness,
  settings: {
    phases: { api: "rest" | "cmq"; waiters: number }[];
    queues: number;
    settleMs: number;
    durationMs: number;
  },
): Promise<IdlePhase[]> {
  const stamp = Date.now().toString(36);
  h.say(
    `W6 idle long-pollers over ${settings.queues} queues: ${settings.phases.map((p) => `${p.waiters} ${p.api.toUpperCase()}`).join(", ")}`,
  );
  const names: string[] = [];
  for (let i = 0; i < settings.queues; i++) names.push((await h.createQueue(`b-w6-${i}-${stamp}`)).name);
  await h.truncate();
  // Flush what earlier workloads left (dirty buffers, dead rows): the window is the idle server's own cost.
  await h.settle();
  const phases: IdlePhase[] = [];
  for (const phase of settings.phases) {
    const http = h.newHttp(Math.max(1, phase.waiters));
    const cmq = h.newCmq(http);
    const errors = new Set<string>();
    let isRunning = true;
    const wait = async (i: number) => {
      const name = names[i % names.length] ?? "";
      try {
        if (phase.api === "rest") {
          const r = await http.post(`/api/v1/queues/${name}/messages/receive`, { max: 1, waitSeconds: 20 });
          if (isRunning) errors.add(`a receive returned early: HTTP ${r.status}`);
        } else {
          const r = await cmq("ReceiveMessage", { queueName: name, pollingWaitSeconds: 20 });
          if (isRunning) errors.add(`a receive returned early: CMQ ${r.code}`);
        }
      } catch (error) {
        if (isRunning) errors.add(error instanceof Error ? error.message : String(error));
      }
    };
    const waits = Array.from({ length: phase.waiters }, (_, i) => wait(i));
    await settle(h, settings.settleMs, settings.queues);
    const meter = h.newMeter();
    meter.begin();
    await new Promise((r) => setTimeout(r, settings.durationMs));
    meter.end();
    isRunning = false;
    http.close();
    await Promise.allSettled(waits);
    const usage = await meter.usage();
    phases.push({ api: phase.api, waiters: phase.waiters, queues: settings.queues, usage, errors: [...errors] });
    const pct = (v: number | null) => (v === null ? "–" : `${((100 * v) / usage.seconds).toFixed(1)}%`);
    const perSecond = (v: number | null) => (v === null ? "–" : (v / usage.seconds).toFixed(1));
    h.say(
      `  W6 ${phase.waiters} ${phase.api.toUpperCase()} waiters: app ${pct(usage.cpu.server)}, Postgres ${pct(usage.cpu.postgres)} of a core, ` +
        `${usage.queries !== null ? `${perSecond(usage.queries)} statements/s` : `${perSecond(usage.xacts)} transactions/s`}` +
        `${errors.size ? `; ${[...errors].join("; ")}` : ""}`,
    );
    await new Promise((r) => setTimeout(r, 500)); // the server finishes the aborted requests
  }
  return phases;
}
