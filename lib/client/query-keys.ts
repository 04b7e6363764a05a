import type { MessageState } from "@/lib/schemas/message";

export type QueueListParams = { search: string; offset: number; limit: number };
export type MessageListParams = { state: MessageState; search: string };

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
};
