import { runClosedLoop } from "./loop";
import type { CellContext } from "./workloads/types";

// A fresh `next start` runs its first thousands of requests several times slower than later ones
// (module loading, JIT). One untimed pass over every benchmarked route, before any cell, keeps that
// cost out of the first cell; each cell still has its own short warm-up for connection ramp-up.

export async function warmUpServer(ctx: CellContext, seconds: number, connections: number) {
  const name = "bench-warmup";
  await ctx.createQueue(name);
  const base = `/api/v1/queues/${name}/messages`;
  const batch = { messages: Array.from({ length: 16 }, () => ({ body: ctx.body })) };
  const single = { messages: [{ body: ctx.body }] };
  let turn = 0;
  const result = await runClosedLoop({
    concurrency: connections,
    warmupMs: 0,
    durationMs: seconds * 1000,
    pids: {},
    op: async () => {
      const max = turn++ % 2 === 0 ? 16 : 1;
      await ctx.http.post(base, max === 16 ? batch : single);
      const received = await ctx.http.post(`${base}/receive`, { max, waitSeconds: 0 });
      const handles = ((received.json as { messages?: { receiptHandle: string }[] }).messages ?? []).map(
        (m) => m.receiptHandle,
      );
      if (handles.length > 0) await ctx.http.post(`${base}/delete`, { receiptHandles: handles });
      return { messages: handles.length };
    },
  });
  return result.opsPerSec;
}
