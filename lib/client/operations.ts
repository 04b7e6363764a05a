import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { MessageFilter } from "@/lib/schemas/message-filter";
import { apiFetch } from "./api-client";
import {
  type DeadLetter,
  deadLetterSourcesSchema,
  dryRunAnswerSchema,
  isOperationFinished,
  type Operation,
  operationAnswerSchema,
  operationListSchema,
  operationSchema,
  rewoundSchema,
} from "./operator-contract";
import { useRefetchInterval } from "./polling";
import { queueKeys } from "./query-keys";

// Operator actions on a queue's messages (issue 10): purge, redrive, move and copy — each first as a
// dry run that counts, then for real as an operation whose progress the console polls — and rewind,
// dead-letter binding.

const queuePath = (name: string) => `/queues/${encodeURIComponent(name)}`;

export type BulkAction =
  | { kind: "purge"; filter: MessageFilter }
  | { kind: "redrive"; filter: MessageFilter; target?: string; ratePerSecond?: number }
  | { kind: "move" | "copy"; filter: MessageFilter; target: string };

/** The endpoint and body of an action; `dryRun` asks only for the count. */
export function bulkRequestOf(name: string, action: BulkAction, dryRun: boolean): { path: string; body: object } {
  const path = `${queuePath(name)}/${action.kind === "copy" ? "move" : action.kind}`;
  const body: Record<string, unknown> = { filter: action.filter };
  if (action.kind === "redrive") {
    if (action.target) body.target = action.target;
    if (action.ratePerSecond) body.ratePerSecond = action.ratePerSecond;
  }
  if (action.kind === "move" || action.kind === "copy") body.target = action.target;
  if (action.kind === "copy") body.copy = true;
  if (dryRun) body.dryRun = true;
  return { path, body };
}

// POST /api/v1/queues/{name}/{purge|redrive|move} with dryRun — the exact count to confirm
export function useDryRun(name: string, action: BulkAction | null) {
  return useQuery({
    queryKey: [...queueKeys.detail(name), "dryRun", action] as const,
    queryFn: ({ signal }) => {
      const { path, body } = bulkRequestOf(name, action as BulkAction, true);
      return apiFetch(path, { method: "POST", body, signal, response: dryRunAnswerSchema });
    },
    enabled: action !== null,
    // A count is confirmed as shown: never refreshed behind the user's back.
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 0,
    retry: false,
  });
}

// POST /api/v1/queues/{name}/{purge|redrive|move} — starts the operation
export function useStartOperation(name: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (action: BulkAction): Promise<Operation> => {
      const { path, body } = bulkRequestOf(name, action, false);
      return (await apiFetch(path, { method: "POST", body, response: operationAnswerSchema })).operation;
    },
    onSuccess: (operation) => {
      queryClient.setQueryData(queueKeys.operation(name, operation.id), operation);
      return queryClient.invalidateQueries({ queryKey: queueKeys.all });
    },
  });
}

// GET /api/v1/queues/{name}/operations/{id} — polled every second until it finishes
export function useOperation(name: string, id: string | null) {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: queueKeys.operation(name, id ?? ""),
    queryFn: async ({ signal }) => {
      const operation = await apiFetch(`${queuePath(name)}/operations/${encodeURIComponent(id ?? "")}`, {
        signal,
        response: operationSchema,
      });
      if (isOperationFinished(operation)) await queryClient.invalidateQueries({ queryKey: queueKeys.messages(name) });
      return operation;
    },
    enabled: id !== null,
    refetchInterval: (query) => (query.state.data && isOperationFinished(query.state.data) ? false : 1_000),
  });
}

// GET /api/v1/queues/{name}/operations — the newest 50
export function useOperations(name: string) {
  const refetchInterval = useRefetchInterval();
  return useQuery({
    queryKey: queueKeys.operations(name),
    queryFn: ({ signal }) => apiFetch(`${queuePath(name)}/operations`, { signal, response: operationListSchema }),
    refetchInterval,
  });
}

// POST /api/v1/queues/{name}/operations/{id}/cancel
export function useCancelOperation(name: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      apiFetch(`${queuePath(name)}/operations/${encodeURIComponent(id)}/cancel`, {
        method: "POST",
        body: {},
        response: operationSchema,
      }),
    onSuccess: (operation) => {
      queryClient.setQueryData(queueKeys.operation(name, operation.id), operation);
      return queryClient.invalidateQueries({ queryKey: queueKeys.operations(name) });
    },
  });
}

// POST /api/v1/queues/{name}/rewind
export function useRewindQueue(name: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (startConsumeTime: string) =>
      apiFetch(`${queuePath(name)}/rewind`, { method: "POST", body: { startConsumeTime }, response: rewoundSchema }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queueKeys.detail(name) }),
  });
}

// PATCH /api/v1/queues/{name} { deadLetter } — bind (or with null, unbind) a dead-letter queue
export function useSetDeadLetter(name: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (deadLetter: DeadLetter | null) => apiFetch(queuePath(name), { method: "PATCH", body: { deadLetter } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queueKeys.all }),
  });
}

// GET /api/v1/queues/{name}/dead-letter-sources — the queues whose dead messages come here
export function useDeadLetterSources(name: string, isEnabled: boolean) {
  return useQuery({
    queryKey: queueKeys.deadLetterSources(name),
    queryFn: ({ signal }) =>
      apiFetch(`${queuePath(name)}/dead-letter-sources`, {
        query: { limit: 50 },
        signal,
        response: deadLetterSourcesSchema,
      }),
    enabled: isEnabled,
    staleTime: 30_000,
  });
}
