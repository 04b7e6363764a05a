import { deleteLeased, insertMessages, leaseMessages } from "@/lib/store/messages";
import { cmqList, describeCmq } from "./cmq";
import { describeResponse, type Harness, type QueueInfo } from "./context";
import type { Op } from "./loop";

// The ways a message gets in and out that W1–W3 compare. The app's two APIs, through the front
// (the path users see) and through plain `next start` (the Next-routed path), and four baselines
// measured in the same run, on the same database, with the same concurrency:
//   rest     — POST /api/v1/queues/{name}/messages, …/receive, …/delete (HTTP Basic), via the front
//   cmq      — the CMQ action API at /v2/index.php, signed like Tencent's SDKs, via the front
//   next     — REST on the same build under `next start`: every request through Next's router
//   next-cmq — CMQ the same way
//   bare     — a bare Next route doing the same INSERT through `pg` (bench/bare-route): Next's floor
//   node     — a bare node:http server doing the same INSERT through `pg` (bench/bare-node.ts): the HTTP floor
//   floor    — the app's own SQL (lib/store/messages.ts) through its `pg` pool, no HTTP: the SQL floor
//   pgboss   — pg-boss 12 in-process: send / insert(16) / fetch + complete

export type PathId = "rest" | "cmq" | "next" | "next-cmq" | "bare" | "node" | "floor" | "pgboss";

export const pathLabels: Record<PathId, string> = {
  rest: "REST",
  cmq: "CMQ",
  next: "REST via next start",
  "next-cmq": "CMQ via next start",
  bare: "bare Next route + pg",
  node: "bare node:http + pg",
  floor: "floor: same SQL via pg",
  pgboss: "pg-boss 12",
};

/** The label of the app served by plain `next start` (W4's comparison). */
export const NEXT_START = "next start";

/** A row's label: the path, and for the front's paths how many processes served it. */
export const pathLabel = (path: PathId, processes: number | null) =>
  processes === null ? pathLabels[path] : `${pathLabels[path]}, ${processes} proc`;

/** The app's own paths (REST and CMQ, through the front or `next start`). */
export const isAppPath = (path: PathId) => path === "rest" || path === "cmq" || path === "next" || path === "next-cmq";
/** The paths served by the front: one row per --processes count. */
export const isFrontPath = (path: PathId) => path === "rest" || path === "cmq";
/** The Next-routed counterpart of a front path: the ratio the goals compare. */
export const nextPathOf: Partial<Record<PathId, PathId>> = { rest: "next", cmq: "next-cmq" };

/** Where a path's "app" CPU is: the active app server, a bare server, or this process (in-process clients). */
export const appTree: Record<PathId, "server" | "bare" | "node" | "loadgen"> = {
  rest: "server",
  cmq: "server",
  next: "server",
  "next-cmq": "server",
  bare: "bare",
  node: "node",
  floor: "loadgen",
  pgboss: "loadgen",
};

export type Target = { queue: QueueInfo | null; bossQueue: string | null };

/** Creates the cell's queue (an app queue, or a pg-boss queue for the pg-boss path). */
export async function createTarget(h: Harness, path: PathId, name: string): Promise<Target> {
  if (path === "pgboss") {
    const boss = await h.boss();
    await boss.createQueue(name);
    return { queue: null, bossQueue: name };
  }
  return { queue: await h.createQueue(name), bossQueue: null };
}

/** Puts `count` messages on the target: SQL generate_series for the app's table, boss.insert for pg-boss. */
export async function prefill(h: Harness, target: Target, count: number): Promise<void> {
  if (target.queue) return h.fillQueue(target.queue.id, count);
  const boss = await h.boss();
  const name = target.bossQueue ?? "";
  const t0 = Date.now();
  const chunk = 5000;
  const jobs = Array.from({ length: chunk }, () => ({ data: { body: h.body } }));
  let filled = 0;
  const filler = async () => {
    while (filled < count) {
      const n = Math.min(chunk, count - filled);
      filled += n;
      await boss.insert(name, jobs.slice(0, n));
    }
  };
  await Promise.all([filler(), filler()]);
  h.say(`  pre-filled ${count.toLocaleString("en-US")} pg-boss jobs in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

/** One send of `batch` messages per op. */
export async function sendOp(h: Harness, path: PathId, target: Target, batch: number): Promise<Op> {
  const queue = target.queue;
  const json = JSON.stringify({ messages: Array.from({ length: batch }, () => ({ body: h.body })) });
  const created = (status: number, what: string) =>
    status === 201 ? { messages: batch } : { messages: 0, error: what };
  switch (path) {
    case "rest":
    case "next": {
      // The active app server: the front or `next start` (the harness switches before the cell).
      const url = `/api/v1/queues/${queue?.name}/messages`;
      return async () => {
        const res = await h.http.post(url, json);
        return created(res.status, describeResponse(res));
      };
    }
    case "bare": {
      const bare = h.bare;
      if (!bare) throw new Error("the bare-route baseline is not running");
      const url = `/api/v1/queues/${queue?.id}/messages`;
      return async () => {
        const res = await bare.post(url, json);
        return created(res.status, describeResponse(res));
      };
    }
    case "node": {
      const node = h.node;
      if (!node) throw new Error("the bare node:http baseline is not running");
      const url = `/api/v1/queues/${queue?.id}/messages`;
      return async () => {
        const res = await node.post(url, json);
        return created(res.status, describeResponse(res));
      };
    }
    case "cmq":
    case "next-cmq": {
      const params: Record<string, string | number> =
        batch === 1
          ? { queueName: queue?.name ?? "", msgBody: h.body }
          : {
              queueName: queue?.name ?? "",
              ...cmqList(
                "msgBody",
                Array.from({ length: batch }, () => h.body),
              ),
            };
      const action = batch === 1 ? "SendMessage" : "BatchSendMessage";
      return async () => {
        const r = await h.cmq(action, params);
        return r.code === 0 ? { messages: batch } : { messages: 0, error: describeCmq(r) };
      };
    }
    case "floor": {
      const rows = Array.from({ length: batch }, () => ({ body: h.body, delaySeconds: 0, tags: undefined }));
      const id = queue?.id ?? "";
      return async () => {
        const ids = await insertMessages(id, rows);
        return ids.length === batch ? { messages: batch } : { messages: ids.length, error: "short insert" };
      };
    }
    case "pgboss": {
      const boss = await h.boss();
      const name = target.bossQueue ?? "";
      const data = { body: h.body };
      const jobs = Array.from({ length: batch }, () => ({ data }));
      return async () => {
        if (batch === 1) await boss.send(name, data);
        else await boss.insert(name, jobs);
        return { messages: batch };
      };
    }
  }
}

type RestReceived = { messages?: { receiptHandle: string }[] };
type CmqReceived = { receiptHandle: string };

/**
 * One drain step per op: receive up to `max` (no long poll), then delete what was received.
 * Reports isEmpty when the queue had nothing: a closed-loop cell stops there.
 */
export async function drainOp(h: Harness, path: PathId, target: Target, max: number): Promise<Op> {
  const queue = target.queue;
  const steps = (t0: number, t1: number) => ({ receive: t1 - t0, delete: performance.now() - t1 });
  switch (path) {
    case "rest":
    case "next": {
      const receiveUrl = `/api/v1/queues/${queue?.name}/messages/receive`;
      const deleteUrl = `/api/v1/queues/${queue?.name}/messages/delete`;
      const receiveBody = JSON.stringify({ max, waitSeconds: 0 });
      return async () => {
        const t0 = performance.now();
        const received = await h.http.post(receiveUrl, receiveBody);
        const t1 = performance.now();
        if (received.status !== 200) return { messages: 0, error: `receive: ${describeResponse(received)}` };
        const handles = ((received.json as RestReceived).messages ?? []).map((m) => m.receiptHandle);
        if (handles.length === 0) return { messages: 0, isEmpty: true };
        const deleted = await h.http.post(deleteUrl, { receiptHandles: handles });
        if (deleted.status !== 200)
          return { messages: 0, steps: steps(t0, t1), error: `delete: ${describeResponse(deleted)}` };
        const count = (deleted.json as { deleted?: number }).deleted ?? 0;
        return count === handles.length
          ? { messages: count, steps: steps(t0, t1) }
          : { messages: count, steps: steps(t0, t1), error: `delete: ${count} of ${handles.length} deleted` };
      };
    }
    case "cmq":
    case "next-cmq": {
      const queueName = queue?.name ?? "";
      return async () => {
        const t0 = performance.now();
        const r =
          max === 1
            ? await h.cmq("ReceiveMessage", { queueName, pollingWaitSeconds: 0 })
            : await h.cmq("BatchReceiveMessage", { queueName, numOfMsg: max, pollingWaitSeconds: 0 });
        const t1 = performance.now();
        if (r.code === 7000) return { messages: 0, isEmpty: true };
        if (r.code !== 0) return { messages: 0, error: `receive: ${describeCmq(r)}` };
        const handles =
          max === 1
            ? [String(r.receiptHandle)]
            : ((r.msgInfoList as CmqReceived[] | undefined) ?? []).map((m) => m.receiptHandle);
        const d =
          max === 1
            ? await h.cmq("DeleteMessage", { queueName, receiptHandle: handles[0] ?? "" })
            : await h.cmq("BatchDeleteMessage", { queueName, ...cmqList("receiptHandle", handles) });
        return d.code === 0
          ? { messages: handles.length, steps: steps(t0, t1) }
          : { messages: 0, steps: steps(t0, t1), error: `delete: ${describeCmq(d)}` };
      };
    }
    case "floor": {
      const q = queue as QueueInfo;
      return async () => {
        const t0 = performance.now();
        const { rows } = await leaseMessages(q.id, max, q.visibilityTimeout, q.msgRetentionSeconds);
        const t1 = performance.now();
        if (rows.length === 0) return { messages: 0, isEmpty: true };
        const deleted = await deleteLeased(
          q.id,
          rows.map((r) => ({ id: r.id, receipt: r.receipt ?? "" })),
        );
        return deleted.size === rows.length
          ? { messages: deleted.size, steps: steps(t0, t1) }
          : {
              messages: deleted.size,
              steps: steps(t0, t1),
              error: `delete: ${deleted.size} of ${rows.length} deleted`,
            };
      };
    }
    case "pgboss": {
      const boss = await h.boss();
      const name = target.bossQueue ?? "";
      return async () => {
        const t0 = performance.now();
        const jobs = await boss.fetch(name, { batchSize: max });
        const t1 = performance.now();
        if (jobs.length === 0) return { messages: 0, isEmpty: true };
        await boss.complete(
          name,
          jobs.map((j) => j.id),
        );
        return { messages: jobs.length, steps: steps(t0, t1) };
      };
    }
    case "bare":
    case "node":
      throw new Error("the bare-route baselines have no drain (W3 compares with the SQL floor and pg-boss)");
  }
}
