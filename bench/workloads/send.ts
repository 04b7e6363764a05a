import { insertMessages } from "@/lib/store/messages";
import { describeResponse, type Workload } from "./types";

// Send `batch` messages per request, back to back. REST: POST /api/v1/queues/{name}/messages.
// Floor: the same INSERT (lib/store/messages.ts insertMessages) through the app's pool, no HTTP.

export function sendWorkload(batch: number): Workload {
  return {
    id: batch === 1 ? "send" : `batch${batch}`,
    title: batch === 1 ? "send, 1 msg/request" : `batch send, ${batch} msgs/request`,
    async prepare(ctx, path, cell) {
      const name = `bench-${cell}`;
      const queue = await ctx.createQueue(name);
      if (path === "rest") {
        const url = `/api/v1/queues/${name}/messages`;
        const payload = JSON.stringify({ messages: Array.from({ length: batch }, () => ({ body: ctx.body })) });
        return async () => {
          const res = await ctx.http.post(url, payload);
          return res.status === 201 ? { messages: batch } : { messages: 0, error: describeResponse(res) };
        };
      }
      const rows = Array.from({ length: batch }, () => ({ body: ctx.body, delaySeconds: 0, tags: undefined }));
      return async () => {
        const ids = await insertMessages(queue.id, rows);
        return ids.length === batch ? { messages: batch } : { messages: ids.length, error: "short insert" };
      };
    },
  };
}
