import { type QueueRates, queueRatesSchema, queueSortKeys } from "@/lib/schemas/metrics";
import type { Queue } from "@/lib/schemas/queue";

// The queue list's order, kept in its URL (?sort=&order=) and sent to GET /api/v1/queues, which
// sorts (the list is paged). No parameters: the server's own order, newest first.

export type QueueSortKey = (typeof queueSortKeys)[number];
export type SortOrder = "asc" | "desc";
export type QueueSort = { key: QueueSortKey; order: SortOrder };

export const defaultQueueSort: QueueSort = { key: "createdAt", order: "desc" };

/** Names read A→Z first; figures (and dates) biggest or newest first. */
const firstOrder = (key: QueueSortKey): SortOrder => (key === "name" ? "asc" : "desc");

/** The sort in the URL's `sort` and `order`; anything unknown is the default. */
export function readQueueSort(sort: string, order: string): QueueSort {
  const key = queueSortKeys.find((k) => k === sort);
  if (!key) return defaultQueueSort;
  return { key, order: order === "asc" || order === "desc" ? order : firstOrder(key) };
}

/** Choosing a column: a new one starts in its natural order; the current one flips. */
export function nextQueueSort(current: QueueSort, key: QueueSortKey): QueueSort {
  if (current.key !== key) return { key, order: firstOrder(key) };
  return { key, order: current.order === "asc" ? "desc" : "asc" };
}

/** The URL's (and the API's) parameters for a sort: empty for the default, so plain /queues stays plain. */
export function queueSortParams(sort: QueueSort): { sort: string; order: string } {
  if (sort.key === defaultQueueSort.key && sort.order === defaultQueueSort.order) return { sort: "", order: "" };
  return { sort: sort.key, order: sort.order };
}

/** aria-sort of a column header: only the sorted column has one. */
export function ariaSortOf(sort: QueueSort, key: QueueSortKey): "ascending" | "descending" | undefined {
  if (sort.key !== key) return undefined;
  return sort.order === "asc" ? "ascending" : "descending";
}

/** A queue's rates over the last 5 minutes, when the server sends them (issue 12). */
export function ratesOf(queue: Queue): QueueRates | null {
  const parsed = queueRatesSchema.safeParse((queue as Queue & { rates?: unknown }).rates);
  return parsed.success ? parsed.data : null;
}
