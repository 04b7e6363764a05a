import { useInfiniteQuery } from "@tanstack/react-query";
import type { z } from "zod";
import { type auditEventSchema, auditPageSchema } from "@/lib/schemas/access";
import { apiFetch } from "./api-client";
import { type AuditListParams, auditKeys } from "./query-keys";

export type AuditEvent = z.infer<typeof auditEventSchema>;

export const auditPageSize = 50;

// GET /api/v1/audit — newest first. Not polled: a refetch of several cursor pages would shift their
// boundaries under the reader; the page offers a Refresh button instead.
export function useAuditEvents(params: AuditListParams, isEnabled = true) {
  return useInfiniteQuery({
    enabled: isEnabled,
    queryKey: auditKeys.list(params),
    queryFn: ({ pageParam, signal }) =>
      apiFetch("/audit", {
        query: { ...params, cursor: pageParam, limit: auditPageSize },
        signal,
        response: auditPageSchema,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}
