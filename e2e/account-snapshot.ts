import { createHash } from "node:crypto";
import type { APIRequestContext } from "@playwright/test";

type Json = Record<string, unknown>;

/**
 * What an account holds, as its owner sees it through the REST API: queues with attributes and
 * message totals, every queue's first 100 messages, API keys, users and the newest audit event.
 * Two equal snapshots mean a request in between changed nothing a client could see. Nothing in it
 * changes by the clock alone (a message's state and the split of counts by state do).
 */
export async function accountSnapshot(api: APIRequestContext) {
  const queues = ((await json(api, "/api/v1/queues?limit=100")).queues as Json[]).map(
    // Rates move with the clock (a window of the last minutes) and with refused calls' neighbours.
    ({ countsAt: _at, oldestMessageAgeSeconds: _age, rates: _rates, counts, ...queue }) => {
      const { visible, inFlight, delayed } = counts as Record<string, number>;
      return { ...queue, messages: (visible ?? 0) + (inFlight ?? 0) + (delayed ?? 0) };
    },
  );
  const messages = await Promise.all(
    queues.map(async (q) => {
      const page = await json(api, `/api/v1/queues/${encodeURIComponent(String((q as Json).name))}/messages?limit=100`);
      return (page.messages as Json[]).map((m) => [m.id, digest(String(m.body)), m.tags, m.dequeueCount]);
    }),
  );
  const keys = ((await json(api, "/api/v1/keys")).keys as Json[]).map(({ lastUsedAt: _used, ...key }) => key);
  const users = ((await json(api, "/api/v1/users")).users as Json[]).map(({ lastLoginAt: _login, ...user }) => user);
  const audit = (await json(api, "/api/v1/audit?limit=1")).events as Json[];
  return { queues, messages, keys, users, newestAuditEvent: audit[0]?.id ?? null };
}

async function json(api: APIRequestContext, path: string): Promise<Json> {
  const response = await api.get(path);
  if (response.status() !== 200) throw new Error(`GET ${path} answered ${response.status()}`);
  return (await response.json()) as Json;
}

/** Long bodies by length and hash, so that a failed comparison prints a readable difference. */
const digest = (body: string) =>
  body.length <= 100
    ? body
    : `${body.length} chars, sha256 ${createHash("sha256").update(body).digest("hex").slice(0, 16)}`;
