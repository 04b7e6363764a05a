import { deleteLeased, leaseMessages } from "@/lib/store/messages";
import { describeResponse, type Workload } from "./types";

// Drain a pre-filled queue: receive up to `max` (no long poll), then delete what was received by
// receipt handle. REST: POST …/messages/receive + POST …/messages/delete. Floor: the same lease and
// delete statements (lib/store/messages.ts leaseMessages, deleteLeased) through the app's pool.
// The cell stops early if the queue runs dry; the rate then covers the time until that moment.

type Received = { messages?: { receiptHandle: string }[] };
type Deleted = { deleted?: number };

export function drainWorkload(max: number): Workload {
  return {
    id: `drain${max}`,
    title: `drain, receive ${max} + delete ${max}`,
    async prepare(ctx, path, cell) {
      const name = `bench-${cell}`;
      const queue = await ctx.createQueue(name);
      // Single-message drains run ~4x slower than batches of 16; a smaller backlog lasts as long.
      await ctx.fillQueue(queue.id, max >= 16 ? ctx.prefill : Math.ceil(ctx.prefill / 4));
      if (path === "rest") {
        const receiveUrl = `/api/v1/queues/${name}/messages/receive`;
        const deleteUrl = `/api/v1/queues/${name}/messages/delete`;
        const receiveBody = JSON.stringify({ max, waitSeconds: 0 });
        return async () => {
          const t0 = performance.now();
          const received = await ctx.http.post(receiveUrl, receiveBody);
          const t1 = performance.now();
          if (received.status !== 200) return { messages: 0, error: `receive: ${describeResponse(received)}` };
          const handles = ((received.json as Received).messages ?? []).map((m) => m.receiptHandle);
          if (handles.length === 0) return { messages: 0, isEmpty: true };
          const deleted = await ctx.http.post(deleteUrl, { receiptHandles: handles });
          const steps = { receive: t1 - t0, delete: performance.now() - t1 };
          if (deleted.status !== 200) return { messages: 0, steps, error: `delete: ${describeResponse(deleted)}` };
          const count = (deleted.json as Deleted).deleted ?? 0;
          return count === handles.length
            ? { messages: count, steps }
            : { messages: count, steps, error: `delete: ${count} of ${handles.length} deleted` };
        };
      }
      return async () => {
        const t0 = performance.now();
        const rows = await leaseMessages(queue.id, max, queue.visibilityTimeout, queue.msgRetentionSeconds);
        const t1 = performance.now();
        if (rows.length === 0) return { messages: 0, isEmpty: true };
        const deleted = await deleteLeased(
          queue.id,
          rows.map((r) => ({ id: r.id, receipt: r.receipt ?? "" })),
        );
        const steps = { receive: t1 - t0, delete: performance.now() - t1 };
        return deleted.size === rows.length
          ? { messages: deleted.size, steps }
          : { messages: deleted.size, steps, error: `delete: ${deleted.size} of ${rows.length} deleted` };
      };
    },
  };
}
