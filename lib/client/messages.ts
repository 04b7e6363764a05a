import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type SendMessageInput, sentMessagesSchema } from "@/lib/schemas/message";
import { peekedMessageSchema, peekPageSchema } from "@/lib/schemas/peek";
import { apiFetch } from "./api-client";
import { type BrowserFilter, peekQueryOf } from "./message-browser-filter";
import { visibilityChangedSchema } from "./operator-contract";
import { useRefetchInterval } from "./polling";
import { queueKeys } from "./query-keys";

export const messagesPath = (name: string) => `/queues/${encodeURIComponent(name)}/messages`;
const messagePath = (name: string, id: string) => `${messagesPath(name)}/${encodeURIComponent(id)}`;

export const peekPageSize = 50;

// POST /api/v1/queues/{name}/messages
export function useSendMessages(name: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (messages: SendMessageInput[]) =>
      apiFetch(messagesPath(name), { method: "POST", body: { messages }, response: sentMessagesSchema }),
    // The detail key covers the counts and every message list of this queue.
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: queueKeys.detail(name) }),
        queryClient.invalidateQueries({ queryKey: queueKeys.lists() }),
      ]),
  });
}

/**
 * GET /api/v1/queues/{name}/messages — peek: reading never changes a message. A search is not
 * re-run by auto-refresh or a return to the tab: its pages may each have read megabytes of bodies
 * (the user runs it again; an action on messages does too).
 */
export function usePeekMessages(name: string, filter: BrowserFilter) {
  const refetchInterval = useRefetchInterval();
  return useInfiniteQuery({
    queryKey: queueKeys.messages(name, filter),
    queryFn: ({ pageParam, signal }) =>
      apiFetch(messagesPath(name), {
        query: { ...peekQueryOf(filter), cursor: pageParam, limit: peekPageSize },
        signal,
        response: peekPageSchema,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: filter.search ? false : refetchInterval,
    refetchOnWindowFocus: !filter.search,
    staleTime: filter.search ? Number.POSITIVE_INFINITY : undefined,
  });
}

// GET /api/v1/queues/{name}/messages/{id} — one message with its whole body
export function useMessage(name: string, id: string) {
  const refetchInterval = useRefetchInterval();
  return useQuery({
    queryKey: queueKeys.message(name, id),
    queryFn: ({ signal }) => apiFetch(messagePath(name, id), { signal, response: peekedMessageSchema }),
    refetchInterval,
  });
}

// DELETE /api/v1/queues/{name}/messages/{id} — operator delete by id
export function useDeleteMessage(name: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiFetch(messagePath(name, id), { method: "DELETE" }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queueKeys.all }),
  });
}

// POST /api/v1/queues/{name}/messages/{id}/visibility — end or extend a lease by id
export function useChangeVisibility(name: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, visibilityTimeout }: { id: string; visibilityTimeout: number }) =>
      apiFetch(`${messagePath(name, id)}/visibility`, {
        method: "POST",
        body: { visibilityTimeout },
        response: visibilityChangedSchema,
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queueKeys.detail(name) }),
  });
}
