import type { HttpClient, JsonResponse } from "../http";
import type { Op } from "../loop";

export type Path = "rest" | "floor";

/** What a workload needs from the harness to set up one measured cell. */
export type CellContext = {
  http: HttpClient;
  /** A 256-byte message body. */
  body: string;
  /** Messages to pre-fill a queue with before a drain cell. */
  prefill: number;
  /** Creates a queue through the REST API (unique per cell) and returns its record. */
  createQueue: (name: string) => Promise<{ id: string; visibilityTimeout: number; msgRetentionSeconds: number }>;
  /** Inserts `count` messages with the app's own insert statement, in large batches. */
  fillQueue: (queueId: string, count: number) => Promise<void>;
};

export type Workload = {
  id: string;
  title: string;
  /** Builds the op for one path; `cell` is unique per cell, for queue names. */
  prepare: (ctx: CellContext, path: Path, cell: string) => Promise<Op>;
};

/** A short error string for an unexpected HTTP answer. */
export function describeResponse(res: JsonResponse): string {
  const error = (res.json as { error?: { code?: string } } | null)?.error;
  return `HTTP ${res.status}${error?.code ? ` ${error.code}` : ""}`;
}
