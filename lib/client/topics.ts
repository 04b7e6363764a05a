import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  type CreateSubscriptionInput,
  type CreateTopicInput,
  type PublishInput,
  publishResultSchema,
  pushSecretSchema,
  type RouteTestInput,
  routeTestResultSchema,
  subscriptionListSchema,
  subscriptionSchema,
  topicLimits,
  topicListSchema,
  topicMessageListSchema,
  topicMessageSchema,
  topicSchema,
  type UpdateSubscriptionInput,
  type UpdateTopicInput,
} from "@/lib/schemas/topic";
import { apiFetch } from "./api-client";
import { useRefetchInterval } from "./polling";
import { type TopicListParams, topicKeys } from "./topics-keys";

// One hook per endpoint of /api/v1/topics…; every answer parsed with lib/schemas/topic.ts.

const topicPath = (name: string) => `/topics/${encodeURIComponent(name)}`;
const subscriptionPath = (topic: string, subscription: string) =>
  `${topicPath(topic)}/subscriptions/${encodeURIComponent(subscription)}`;
const messagePath = (topic: string, id: string) => `${topicPath(topic)}/messages/${encodeURIComponent(id)}`;

export const topicMessagesPageSize = 20;

// GET /api/v1/topics
export function useTopics(params: TopicListParams) {
  const refetchInterval = useRefetchInterval();
  return useQuery({
    queryKey: topicKeys.list(params),
    queryFn: ({ signal }) => apiFetch("/topics", { query: params, signal, response: topicListSchema }),
    placeholderData: keepPreviousData,
    refetchInterval,
  });
}

// GET /api/v1/topics/{name}
export function useTopic(name: string) {
  const refetchInterval = useRefetchInterval();
  return useQuery({
    queryKey: topicKeys.detail(name),
    queryFn: ({ signal }) => apiFetch(topicPath(name), { signal, response: topicSchema }),
    refetchInterval,
  });
}

// POST /api/v1/topics
export function useCreateTopic() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateTopicInput) =>
      apiFetch("/topics", { method: "POST", body: input, response: topicSchema }),
    onSuccess: (topic) => {
      queryClient.setQueryData(topicKeys.detail(topic.name), topic);
      return queryClient.invalidateQueries({ queryKey: topicKeys.lists() });
    },
  });
}

// PATCH /api/v1/topics/{name}
export function useUpdateTopic(name: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: UpdateTopicInput) =>
      apiFetch(topicPath(name), { method: "PATCH", body: input, response: topicSchema }),
    onSuccess: (topic) => {
      queryClient.setQueryData(topicKeys.detail(name), topic);
      return queryClient.invalidateQueries({ queryKey: topicKeys.lists() });
    },
  });
}

// DELETE /api/v1/topics/{name}
export function useDeleteTopic(name: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiFetch(topicPath(name), { method: "DELETE" }),
    onSuccess: () => {
      // Removed rather than invalidated: a refetch would only answer "not found".
      queryClient.removeQueries({ queryKey: topicKeys.detail(name) });
      return queryClient.invalidateQueries({ queryKey: topicKeys.lists() });
    },
  });
}

// GET /api/v1/topics/{name}/subscriptions — a topic has at most 100
export function useSubscriptions(topic: string) {
  const refetchInterval = useRefetchInterval();
  return useQuery({
    queryKey: topicKeys.subscriptions(topic),
    queryFn: ({ signal }) =>
      apiFetch(`${topicPath(topic)}/subscriptions`, {
        query: { limit: topicLimits.subscriptionsPerTopic },
        signal,
        response: subscriptionListSchema,
      }),
    refetchInterval,
  });
}

/** After a subscription changes: its list, and the topic's subscription count. */
function useRefreshSubscriptions(topic: string) {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: topicKeys.detail(topic) }),
      queryClient.invalidateQueries({ queryKey: topicKeys.lists() }),
    ]);
}

// POST /api/v1/topics/{name}/subscriptions
export function useCreateSubscription(topic: string) {
  const refresh = useRefreshSubscriptions(topic);
  return useMutation({
    mutationFn: (input: CreateSubscriptionInput) =>
      apiFetch(`${topicPath(topic)}/subscriptions`, { method: "POST", body: input, response: subscriptionSchema }),
    onSuccess: refresh,
  });
}

// PATCH /api/v1/topics/{name}/subscriptions/{sub}
export function useUpdateSubscription(topic: string, subscription: string) {
  const refresh = useRefreshSubscriptions(topic);
  return useMutation({
    mutationFn: (input: UpdateSubscriptionInput) =>
      apiFetch(subscriptionPath(topic, subscription), { method: "PATCH", body: input, response: subscriptionSchema }),
    onSuccess: refresh,
  });
}

// DELETE /api/v1/topics/{name}/subscriptions/{sub}
export function useDeleteSubscription(topic: string, subscription: string) {
  const refresh = useRefreshSubscriptions(topic);
  return useMutation({
    mutationFn: () => apiFetch(subscriptionPath(topic, subscription), { method: "DELETE" }),
    onSuccess: refresh,
  });
}

// GET /api/v1/topics/{name}/subscriptions/{sub}/secret — only when asked for, never refreshed or kept
export function usePushSecret(topic: string, subscription: string, isRevealed: boolean) {
  return useQuery({
    queryKey: topicKeys.secret(topic, subscription),
    queryFn: ({ signal }) =>
      apiFetch(`${subscriptionPath(topic, subscription)}/secret`, { signal, response: pushSecretSchema }),
    enabled: isRevealed,
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 0,
    refetchOnWindowFocus: false,
  });
}

// POST /api/v1/topics/{name}/messages
export function usePublish(topic: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: PublishInput) =>
      apiFetch(`${topicPath(topic)}/messages`, { method: "POST", body: input, response: publishResultSchema }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: topicKeys.detail(topic) }),
  });
}

// POST /api/v1/topics/{name}/route-test — which subscriptions a publish would reach, and why
export function useRouteTest(topic: string) {
  return useMutation({
    mutationFn: (input: RouteTestInput) =>
      apiFetch(`${topicPath(topic)}/route-test`, { method: "POST", body: input, response: routeTestResultSchema }),
  });
}

// GET /api/v1/topics/{name}/messages?before&limit — newest first
export function useTopicMessages(topic: string) {
  const refetchInterval = useRefetchInterval();
  return useInfiniteQuery({
    queryKey: topicKeys.messages(topic),
    queryFn: ({ pageParam, signal }) =>
      apiFetch(`${topicPath(topic)}/messages`, {
        query: { before: pageParam, limit: topicMessagesPageSize },
        signal,
        response: topicMessageListSchema,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextBefore ?? undefined,
    refetchInterval,
  });
}

// GET /api/v1/topics/{name}/messages/{id} — the message and its delivery timeline
export function useTopicMessage(topic: string, id: string) {
  const refetchInterval = useRefetchInterval();
  return useQuery({
    queryKey: topicKeys.message(topic, id),
    queryFn: ({ signal }) => apiFetch(messagePath(topic, id), { signal, response: topicMessageSchema }),
    refetchInterval,
  });
}

// POST /api/v1/topics/{name}/messages/{id}/redeliver — once more to one subscription
export function useRedeliver(topic: string, id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (subscription: string) =>
      apiFetch(`${messagePath(topic, id)}/redeliver`, {
        method: "POST",
        body: { subscription },
        response: topicMessageSchema,
      }),
    onSuccess: (message) => {
      queryClient.setQueryData(topicKeys.message(topic, id), message);
      return queryClient.invalidateQueries({ queryKey: topicKeys.messages(topic) });
    },
  });
}
