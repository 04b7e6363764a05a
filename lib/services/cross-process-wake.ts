import { randomUUID } from "node:crypto";
import pg from "pg";
import { getPool } from "@/lib/db/pool";
import { logger } from "@/lib/logger";
import { singleton } from "@/lib/singleton";
import { scheduleWake, setRecheckInterval, wakeReceivers } from "./long-poll";

// Wakes long-polling receivers in the other app processes of an installation. Sends are announced
// on one Postgres channel, coalesced per process into at most one NOTIFY every FLUSH_MS (so the
// cost does not grow with the send rate); each process LISTENs on a dedicated connection and wakes
// its own waiters. A single process pays nothing: announcing starts only while another process
// listens (checked every PEER_CHECK_MS). Without the listener (tests, CLI) announcing does nothing.

const CHANNEL = "opencmq_wake";
const FLUSH_MS = 2;
const MAX_PAYLOAD = 7000; // NOTIFY payloads must stay under 8000 bytes
const PEER_CHECK_MS = 1000;

type State = {
  instanceId: string;
  listening: boolean;
  hasPeers: boolean;
  /** queue id → messages that became visible, to announce. */
  pending: Map<string, number>;
  /** queue id → epoch ms when its earliest announced delayed message becomes visible. */
  delayed: Map<string, number>;
  flushTimer: NodeJS.Timeout | null;
};
const state = singleton<State>("crossProcessWake", () => ({
  instanceId: randomUUID().slice(0, 8),
  listening: false,
  hasPeers: false,
  pending: new Map(),
  delayed: new Map(),
  flushTimer: null,
}));

/** Tells other processes that `count` messages became visible in the queue. */
export function announceSend(queueId: string, count: number): void {
  if (!state.listening || !state.hasPeers) return;
  state.pending.set(queueId, (state.pending.get(queueId) ?? 0) + count);
  state.flushTimer ??= setTimeout(flush, FLUSH_MS);
}

/** Tells other processes that a delayed message of the queue becomes visible at `at`. */
export function announceDelayed(queueId: string, at: Date): void {
  if (!state.listening || !state.hasPeers) return;
  const earliest = state.delayed.get(queueId);
  if (earliest === undefined || at.getTime() < earliest) state.delayed.set(queueId, at.getTime());
  state.flushTimer ??= setTimeout(flush, FLUSH_MS);
}

function flush() {
  state.flushTimer = null;
  const entries = [
    ...[...state.pending].map(([queueId, count]) => `${queueId}:${Math.min(count, 999)}`),
    ...[...state.delayed].map(([queueId, at]) => `${queueId}:@${at}`),
  ];
  state.pending.clear();
  state.delayed.clear();
  const payloads: string[] = [];
  let current = state.instanceId;
  for (const entry of entries) {
    if (current.length + entry.length + 1 > MAX_PAYLOAD) {
      payloads.push(current);
      current = state.instanceId;
    }
    current += ` ${entry}`;
  }
  payloads.push(current);
  for (const payload of payloads) {
    getPool()
      .query("SELECT pg_notify($1, $2)", [CHANNEL, payload])
      .catch((error) => logger.warn({ err: error }, "could not announce sends to other processes"));
  }
}

/** Listens for other processes' sends; reconnects with a pause when the connection drops. */
export function startCrossProcessWake(): void {
  if (state.listening) return;
  state.listening = true;
  const connect = async () => {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    const retry = () => {
      client.removeAllListeners();
      client.end().catch(() => {});
      setTimeout(connect, 1000).unref();
    };
    client.on("error", (error) => {
      setRecheckInterval(1000);
      logger.warn({ err: error }, "cross-process wake connection lost; reconnecting");
      retry();
    });
    client.on("notification", (message) => {
      const [sender, ...entries] = (message.payload ?? "").split(" ");
      if (sender === state.instanceId) return;
      for (const entry of entries) {
        const [queueId, value = ""] = entry.split(":");
        if (!queueId) continue;
        if (value.startsWith("@")) scheduleWake(queueId, new Date(Number(value.slice(1))));
        else wakeReceivers(queueId, Number(value) || 1);
      }
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      // Other processes' sends now arrive as announcements; the idle re-check is only a safety net.
      setRecheckInterval(10_000);
    } catch (error) {
      logger.warn({ err: error }, "could not listen for other processes' sends; retrying");
      retry();
    }
  };
  void connect();
  const checkPeers = async () => {
    try {
      const { rows } = await getPool().query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
         WHERE datname = current_database() AND query = 'LISTEN ${CHANNEL}'`,
      );
      state.hasPeers = (rows[0]?.n ?? 0) > 1;
    } catch {
      state.hasPeers = true; // when unsure, announce
    }
    setTimeout(checkPeers, PEER_CHECK_MS).unref();
  };
  void checkPeers();
}
