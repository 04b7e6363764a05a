import { useSyncExternalStore } from "react";
import { isApiError } from "./api-client";

// Whether the console can reach the server, as its queries find out: the header's live indicator
// and the "reconnecting" notice read it. Only outages count — no answer at all, or a 5xx; a 4xx is
// the server answering.

export type Connection = { isFailing: boolean; failingSince: number | null };

const listeners = new Set<() => void>();
let current: Connection = { isFailing: false, failingSince: null };

export const isOutage = (error: unknown) => isApiError(error) && (error.status === 0 || error.status >= 500);

function set(next: Connection) {
  if (next.isFailing === current.isFailing) return;
  current = next;
  for (const listener of listeners) listener();
}

/** A query failed (after its retries). */
export function reportQueryError(error: unknown, now = Date.now()) {
  if (isOutage(error)) set({ isFailing: true, failingSince: now });
}

/** A query succeeded: the server answers again. */
export function reportQuerySuccess() {
  set({ isFailing: false, failingSince: null });
}

export const currentConnection = () => current;

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};
const serverSnapshot: Connection = { isFailing: false, failingSince: null };

export function useConnection(): Connection {
  return useSyncExternalStore(subscribe, currentConnection, () => serverSnapshot);
}
