import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type CreateQueueInput, queueListSchema, queueSchema, type UpdateQueueInput } from "@/lib/schemas/queue";
import { apiFetch } from "./api-client";
import { useRefetchInterval } from "./polling";
import { type QueueListParams, queueKeys } from "./query-keys";

const queuePath = (name: string) => `/queues/${encodeURIComponent(name)}`;

// GET /api/v1/queues
export function useQueues(params: QueueListParams) {
  const refetchInterval = useRefetchInterval();
  return useQuery({
    queryKey: queueKeys.list(params),
    queryFn: ({ signal }) => apiFetch("/queues", { query: params, signal, response: queueListSchema }),
    placeholderData: keepPreviousData,
    refetchInterval,
  });
}

// GET /api/v1/queues/{name}
export function useQueue(name: string) {
  const refetchInterval = useRefetchInterval();
  return useQuery({
    queryKey: queueKeys.detail(name),
    queryFn: ({ signal }) => apiFetch(queuePath(name), { signal, response: queueSchema }),
    refetchInterval,
  });
}

// POST /api/v1/queues
export function useCreateQueue() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateQueueInput) =>
      apiFetch("/queues", { method: "POST", body: input, response: queueSchema }),
    onSuccess: (queue) => {
      queryClient.setQueryData(queueKeys.detail(queue.name), queue);
      return queryClient.invalidateQueries({ queryKey: queueKeys.lists() });
    },
  });
}

// PATCH /api/v1/queues/{name}
export function useUpdateQueue(name: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: UpdateQueueInput) =>
      apiFetch(queuePath(name), { method: "PATCH", body: input, response: queueSchema }),
    onSuccess: (queue) => {
      queryClient.setQueryData(queueKeys.detail(name), queue);
      return queryClient.invalidateQueries({ queryKey: queueKeys.lists() });
    },
  });
}

// DELETE /api/v1/queues/{name}
export function useDeleteQueue(name: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiFetch(queuePath(name), { method: "DELETE" }),
    onSuccess: () => {
      // Removed rather than invalidated: a refetch would only answer QUEUE_NOT_FOUND.
      queryClient.removeQueries({ queryKey: queueKeys.detail(name) });
      return queryClient.invalidateQueries({ queryKey: queueKeys.lists() });
    },
  });
}
