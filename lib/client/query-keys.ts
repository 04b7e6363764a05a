import type { BrowserFilter } from "./message-browser-filter";

export type QueueListParams = {
  search: string;
  offset: number;
  limit: number;
  /** "" for the server's default order (lib/client/queue-sort.ts) */
  sort?: string;
  order?: string;
};
export type MessageListParams = BrowserFilter;

// Keys nest, so invalidating a queue's detail also refreshes its messages, and `all` refreshes
// everything about queues.
export const queueKeys = {
  all: ["queues"] as const,
  lists: () => [...queueKeys.all, "list"] as const,
  list: (params: QueueListParams) => [...queueKeys.lists(), params] as const,
  detail: (name: string) => [...queueKeys.all, "detail", name] as const,
  messages: (name: string, params?: MessageListParams) =>
    params
      ? ([...queueKeys.detail(name), "messages", params] as const)
      : ([...queueKeys.detail(name), "messages"] as const),
  message: (name: string, id: string) => [...queueKeys.detail(name), "message", id] as const,
  operations: (name: string) => [...queueKeys.detail(name), "operations"] as const,
  operation: (name: string, id: string) => [...queueKeys.operations(name), id] as const,
  deadLetterSources: (name: string) => [...queueKeys.detail(name), "deadLetterSources"] as const,
};

/** The signed-in caller and its access; everything that hides or shows a control reads this. */
export const meKeys = {
  all: ["me"] as const,
};

/** Charts: a series is keyed by what it shows and its range (the window is computed when fetching). */
export type MetricSeriesParams = { scope: "account" | "queue"; name?: string; metrics: string; range: string };

export const metricKeys = {
  all: ["metrics"] as const,
  series: (params: MetricSeriesParams) => [...metricKeys.all, "series", params] as const,
  top: (by: string, range: string) => [...metricKeys.all, "top", by, range] as const,
};

export const databaseKeys = {
  health: ["database", "health"] as const,
};

export const userKeys = {
  all: ["users"] as const,
  list: () => [...userKeys.all, "list"] as const,
};

export const apiKeyKeys = {
  all: ["apiKeys"] as const,
  list: () => [...apiKeyKeys.all, "list"] as const,
};

/** The audit filter as the API takes it: empty strings are left out of the request. */
export type AuditListParams = {
  actor: string;
  action: string;
  resource: string;
  outcome: "" | "success" | "denied" | "failure";
  /** ISO-8601, or "" for open-ended. */
  from: string;
  to: string;
};

export const auditKeys = {
  all: ["audit"] as const,
  list: (params: AuditListParams) => [...auditKeys.all, "list", params] as const,
};
