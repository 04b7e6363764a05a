import type { Harness } from "./context";
import { runClosedLoop } from "./loop";
import { drainOp, sendOp } from "./paths";

// A fresh server runs its first thousands of requests several times slower than later ones
// (module loading, JIT). One untimed pass over every benchmarked route of the active app server
// (and, with `withBaselines`, of the bare routes), before any cell, keeps that cost out of the
// first cells; each cell still has its own short warm-up for connection ramp-up.

export async function warmUpServers(
  h: Harness,
  seconds: number,
  options: { isSendOnly?: boolean; withBaselines?: boolean } = {},
) {
  const queue = await h.createQueue(`b-warmup-${Date.now().toString(36)}`);
  const target = { queue, bossQueue: null };
  const sends = [await sendOp(h, "rest", target, 1), await sendOp(h, "rest", target, 16)];
  const ops = options.isSendOnly
    ? sends
    : [
        ...sends,
        await drainOp(h, "rest", target, 16),
        await drainOp(h, "rest", target, 1),
        await sendOp(h, "cmq", target, 1),
        await sendOp(h, "cmq", target, 16),
        await drainOp(h, "cmq", target, 16),
        await drainOp(h, "cmq", target, 1),
        ...(h.bare && options.withBaselines
          ? [await sendOp(h, "bare", target, 1), await sendOp(h, "bare", target, 16)]
          : []),
        ...(h.node && options.withBaselines
          ? [await sendOp(h, "node", target, 1), await sendOp(h, "node", target, 16)]
          : []),
      ];
  let turn = 0;
  await runClosedLoop({
    concurrency: h.connections,
    warmupMs: 0,
    durationMs: seconds * 1000,
    meter: h.newMeter(),
    // An empty queue is normal here: drain ops must not end the warm-up.
    op: async (t) => ({ ...(await (ops[turn++ % ops.length] as (typeof ops)[number])(t)), isEmpty: false }),
  });
  // Long polls and peeks once each, so their routes are compiled too.
  await h.http.post(`/api/v1/queues/${queue.name}/messages/receive`, { max: 1, waitSeconds: 1 });
  await h.http.get(`/api/v1/queues/${queue.name}/messages?state=all&limit=50`);
}
