import { insertMessages } from "@/lib/store/messages";
import type { HttpClient } from "./http";
import type { CellContext } from "./workloads/types";

/** The harness side of every cell: queues are created through the API, backlogs with the app's SQL. */
export function createCellContext(options: {
  http: HttpClient;
  prefill: number;
  say: (line: string) => void;
}): CellContext {
  const { http } = options;
  const body = "x".repeat(256);
  return {
    http,
    body,
    prefill: options.prefill,
    createQueue: async (name) => {
      const res = await http.post("/api/v1/queues", { name });
      if (res.status !== 201) throw new Error(`creating queue ${name}: HTTP ${res.status} ${JSON.stringify(res.json)}`);
      return res.json as { id: string; visibilityTimeout: number; msgRetentionSeconds: number };
    },
    fillQueue: async (queueId, count) => {
      const t0 = Date.now();
      const chunk = 1000;
      const rows = Array.from({ length: chunk }, () => ({ body, delaySeconds: 0, tags: undefined }));
      let filled = 0;
      // Two statements in flight: enough to keep Postgres busy while the next batch is built.
      const filler = async () => {
        while (filled < count) {
          const n = Math.min(chunk, count - filled);
          filled += n;
          await insertMessages(queueId, rows.slice(0, n));
        }
      };
      await Promise.all([filler(), filler()]);
      options.say(
        `  pre-filled ${count.toLocaleString("en-US")} messages in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
      );
    },
  };
}
