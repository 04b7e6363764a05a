import { useQueryClient } from "@tanstack/react-query";
import { useSyncExternalStore } from "react";

/**
 * Whether any query of the page refreshes by itself: the live indicator means nothing on a page
 * without one. Queries marked `meta: { isBackground: true }` (the header's alarm banner) do not count.
 */
export function useIsPolling(): boolean {
  const client = useQueryClient();
  return useSyncExternalStore(
    (onChange) => client.getQueryCache().subscribe(onChange),
    () =>
      client
        .getQueryCache()
        .getAll()
        .some(
          (query) =>
            query.meta?.isBackground !== true &&
            query.observers.some((observer) => {
              const interval = observer.options.refetchInterval;
              return typeof interval === "function" || (typeof interval === "number" && interval > 0);
            }),
        ),
    () => false,
  );
}
