import { useMutation, useQuery } from "@tanstack/react-query";
import { useCallback } from "react";
import type { Permission } from "@/lib/auth/permissions";
import { type Me, meSchema } from "@/lib/schemas/access";
import { allows, denialReason } from "./access";
import { apiFetch } from "./api-client";
import { meKeys } from "./query-keys";

// GET /api/v1/me — who is signed in and what they may do
export function useMe() {
  return useQuery({
    queryKey: meKeys.all,
    queryFn: ({ signal }) => apiFetch("/me", { signal, response: meSchema }),
    // Roles and policies change rarely; a focus refetch still picks a change up.
    staleTime: 30_000,
  });
}

export type CanFn = (permission: Permission, resource?: string) => boolean;
export type ReasonFn = (permission: Permission, resource?: string) => string;

/**
 * `can(permission, resource?)` for components. Until /me has answered, nothing is allowed, so a
 * control never flashes up and then disappears; `isLoading` lets a page show a spinner instead.
 */
export function useCan(): { can: CanFn; reason: ReasonFn; isLoading: boolean; me: Me | undefined } {
  const { data: me, isPending } = useMe();
  const access = me?.access;
  const canFn = useCallback<CanFn>(
    (permission, resource) => (access ? allows(access, permission, resource) : false),
    [access],
  );
  const reason = useCallback<ReasonFn>(
    (permission, resource) => (access ? denialReason(access, permission, resource) : "Checking your access…"),
    [access],
  );
  return { can: canFn, reason, isLoading: isPending, me };
}

// POST /api/v1/me/password
export function useChangePassword() {
  return useMutation({
    mutationFn: (input: { currentPassword: string; newPassword: string }) =>
      apiFetch("/me/password", { method: "POST", body: input }),
  });
}
