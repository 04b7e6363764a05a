import { useQuery } from "@tanstack/react-query";
import { databaseHealthSchema } from "@/lib/schemas/database-health";
import { apiFetch } from "./api-client";
import { usePollingSetting } from "./polling";
import { databaseKeys } from "./query-keys";

// GET /api/v1/database/health — statistics that move slowly: refreshed with the console's polling
// setting, at most every 30 s, and not while paused.
export function useDatabaseHealth() {
  const { intervalMs, isPaused } = usePollingSetting();
  return useQuery({
    queryKey: databaseKeys.health,
    queryFn: ({ signal }) => apiFetch("/database/health", { signal, response: databaseHealthSchema }),
    refetchInterval: isPaused ? false : Math.max(intervalMs, 30_000),
  });
}
