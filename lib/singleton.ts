// Process-wide singletons. Next may evaluate a module once per route bundle, so state that must be
// shared (the pool, long-poll waiters, caches) lives on globalThis under a fixed key.
const store = globalThis as unknown as Record<symbol, unknown>;

export function singleton<T>(name: string, create: () => T): T {
  const key = Symbol.for(`opencmq.${name}`);
  if (!(key in store)) store[key] = create();
  return store[key] as T;
}
