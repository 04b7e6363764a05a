import { useSyncExternalStore } from "react";

// The one auto-refresh setting every live view polls with: an interval and a pause switch, kept in
// localStorage so it survives reloads and is shared by all tabs of the console.

export const pollingIntervals = [2_000, 5_000, 10_000, 30_000] as const;
export type PollingSetting = { intervalMs: number; isPaused: boolean };

const storageKey = "opencmq.polling";
const defaultSetting: PollingSetting = { intervalMs: 5_000, isPaused: false };
const listeners = new Set<() => void>();
let current: PollingSetting | undefined;

export function parsePollingSetting(raw: string | null): PollingSetting {
  try {
    const value = JSON.parse(raw ?? "null") as Partial<PollingSetting> | null;
    const intervalMs = pollingIntervals.find((ms) => ms === value?.intervalMs) ?? defaultSetting.intervalMs;
    return { intervalMs, isPaused: value?.isPaused === true };
  } catch {
    return defaultSetting;
  }
}

function read(): PollingSetting {
  current ??= parsePollingSetting(window.localStorage.getItem(storageKey));
  return current;
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  const onStorage = (event: StorageEvent) => {
    if (event.key !== storageKey) return;
    current = parsePollingSetting(event.newValue);
    listener();
  };
  window.addEventListener("storage", onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", onStorage);
  };
}

export function setPollingSetting(change: Partial<PollingSetting>) {
  current = { ...read(), ...change };
  window.localStorage.setItem(storageKey, JSON.stringify(current));
  for (const listener of listeners) listener();
}

export function usePollingSetting(): PollingSetting {
  return useSyncExternalStore(subscribe, read, () => defaultSetting);
}

/** For react-query's `refetchInterval`: false while paused. */
export function useRefetchInterval(): number | false {
  const { intervalMs, isPaused } = usePollingSetting();
  return isPaused ? false : intervalMs;
}
