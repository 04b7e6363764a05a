"use client";

import { QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { isApiError } from "@/lib/client/api-client";
import { reportQueryError, reportQuerySuccess } from "@/lib/client/connection";

// A 4xx answer will not change on retry (except 429); only network and server faults are retried.
const shouldRetry = (failureCount: number, error: unknown) =>
  failureCount < 2 && !(isApiError(error) && error.status >= 400 && error.status < 500 && error.status !== 429);

// When the session expires mid-visit, every query answers 401: send the user to sign in again and back.
// An outage is reported to the header's live indicator and the reconnecting notice.
function onQueryError(error: unknown) {
  reportQueryError(error);
  if (isApiError(error) && error.status === 401 && typeof window !== "undefined") {
    const back = `${window.location.pathname}${window.location.search}`;
    window.location.assign(`/login?callbackUrl=${encodeURIComponent(back)}`);
  }
}

export function QueryProvider({ children }: { children: ReactNode }) {
  const [client] = useState(
    () =>
      new QueryClient({
        queryCache: new QueryCache({ onError: onQueryError, onSuccess: reportQuerySuccess }),
        defaultOptions: {
          queries: { staleTime: 1_000, retry: shouldRetry, refetchOnWindowFocus: true },
          mutations: { retry: false },
        },
      }),
  );
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
