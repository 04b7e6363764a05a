import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { peekPageSchema, type SendMessageInput, sentMessagesSchema } from "@/lib/schemas/message";
import { apiFetch } from "./api-client";
import { useRefetchInterval } from "./polling";
import { type MessageListParams, queueKeys } from "./query-keys";

const messagesPath = (name: string) => `/queues/${encodeURIComponent(name)}/messages`;

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

// GET /api/v1/queues/{name}/messages — peek: reading never changes a message
export function usePeekMessages(name: string, params: MessageListParams) {
  const refetchInterval = useRefetchInterval();
  return useInfiniteQuery({
    queryKey: queueKeys.messages(name, params),
    queryFn: ({ pageParam, signal }) =>
      apiFetch(messagesPath(name), {
        query: { state: params.state, search: params.search, cursor: pageParam, limit: peekPageSize },
        signal,
        response: peekPageSchema,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval,
  });
}
