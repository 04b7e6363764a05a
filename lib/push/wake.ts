import { singleton } from "@/lib/singleton";

// Called after a publish that created push deliveries commits, so the push worker of this process
// looks now instead of at its next poll. Other processes' workers are woken through
// lib/services/cross-process-wake.ts (announcePush, LISTEN/NOTIFY), which calls this in each of them. The listeners live on globalThis (lib/singleton.ts): the publish path and
// the worker may be loaded in different bundles of one process.

const listeners = () => singleton("push.wake", () => new Set<() => void>());

export function wakePushWorker(): void {
  for (const listener of listeners()) listener();
}

/** Registers a push worker's wake-up; returns the unregistration. */
export function onPushWake(listener: () => void): () => void {
  listeners().add(listener);
  return () => listeners().delete(listener);
}
