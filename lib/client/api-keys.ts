import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import { apiKeyListSchema, apiKeySchema, createdApiKeySchema } from "@/lib/schemas/access";
import { apiFetch } from "./api-client";
import { apiKeyKeys } from "./query-keys";

export type CreatedApiKey = z.infer<typeof createdApiKeySchema>;

const keyPath = (id: string) => `/keys/${encodeURIComponent(id)}`;

// GET /api/v1/keys — never carries SecretKeys
export function useApiKeys(isEnabled = true) {
  return useQuery({
    queryKey: apiKeyKeys.list(),
    queryFn: ({ signal }) => apiFetch("/keys", { signal, response: apiKeyListSchema }),
    enabled: isEnabled,
  });
}

// POST /api/v1/keys — the SecretKey is in this answer only. It is deliberately not written into the
// query cache: the list is refetched, so the secret lives only as long as the panel showing it.
export function useCreateApiKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { description: string; permissions: string[] }) =>
      apiFetch("/keys", { method: "POST", body: input, response: createdApiKeySchema }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: apiKeyKeys.all }),
  });
}

// PATCH /api/v1/keys/{id}
export function useUpdateApiKey(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { description?: string; isDisabled?: boolean }) =>
      apiFetch(keyPath(id), { method: "PATCH", body: input, response: apiKeySchema }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: apiKeyKeys.all }),
  });
}

// DELETE /api/v1/keys/{id}
export function useDeleteApiKey(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiFetch(keyPath(id), { method: "DELETE" }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: apiKeyKeys.all }),
  });
}
