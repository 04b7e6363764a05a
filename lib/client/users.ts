import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import { createdUserSchema, type StatementInput, userListSchema, userSchema } from "@/lib/schemas/access";
import { apiFetch } from "./api-client";
import { meKeys, userKeys } from "./query-keys";

export type CreatedUser = z.infer<typeof createdUserSchema>;
export type AssignableRole = "admin" | "developer" | "readonly";

const userPath = (id: string) => `/users/${encodeURIComponent(id)}`;

// GET /api/v1/users — `isEnabled` false while the caller may not read users: no request to refuse.
export function useUsers(isEnabled = true) {
  return useQuery({
    queryKey: userKeys.list(),
    queryFn: ({ signal }) => apiFetch("/users", { signal, response: userListSchema }),
    enabled: isEnabled,
  });
}

// POST /api/v1/users — the answer carries a generated password once; it is not cached anywhere.
export function useCreateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { email: string; name: string; role: AssignableRole; password?: string }) =>
      apiFetch("/users", { method: "POST", body: input, response: createdUserSchema }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: userKeys.all }),
  });
}

// PATCH /api/v1/users/{id}
export function useUpdateUser(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { name?: string; role?: AssignableRole; isDisabled?: boolean }) =>
      apiFetch(userPath(id), { method: "PATCH", body: input, response: userSchema }),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: userKeys.all }),
        queryClient.invalidateQueries({ queryKey: meKeys.all }),
      ]),
  });
}

// PUT /api/v1/users/{id}/policy
export function useSetUserPolicy(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (statements: StatementInput[]) =>
      apiFetch(`${userPath(id)}/policy`, { method: "PUT", body: { statements }, response: userSchema }),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: userKeys.all }),
        queryClient.invalidateQueries({ queryKey: meKeys.all }),
      ]),
  });
}
