import { randomUUID } from "node:crypto";
import pg from "pg";
import { settings } from "@/lib/config";
import { getPool } from "@/lib/db/pool";
import { logger } from "@/lib/logger";
import { wakePushWorker } from "@/lib/push/wake";
import { singleton } from "@/lib/singleton";
import { RECHECK_MS, scheduleWake, setRecheckInterval, wakeReceivers } from "./long-poll";

// Wakes long-polling receivers in the other app processes of an installation. Sends are announced
// on one Postgres channel, coalesced per process into at most one NOTIFY every FLUSH_MS (so the
// cost does not grow with the send rate); each process LISTENs on a dedicated connection and wakes
// its own waiters. A single process pays nothing: announcing starts only while another process
// listens (checked every PEER_CHECK_MS). Without the listener (tests, CLI) announcing does nothing.
// Publishes that leave HTTP pushes are announced on the same channel ("!push" in the payload, at
// most once a flush): every other process's push worker looks for due rows at once, instead of at
// its next poll (OPENCMQ_PUSH_POLL_MS); their claims (SKIP LOCKED) share the rows out.
//
// The listening connection names itself `opencmq-wake:<instance>` (SET application_name, whatever
// DATABASE_URL says), so the peer check counts other processes only. It has one reconnect path:
// whatever ends it (an error, the server closing it, a failed connect or LISTEN) calls `lost` once,
// which schedules one new connect.

const CHANNEL = "opencmq_wake";
const APPLICATION_PREFIX = "opencmq-wake:";
const FLUSH_MS = 2;
/** "push deliveries are due": no queue id looks like it (an older process reads it as an unknown queue). */
const PUSH_ENTRY = "!push";
const MAX_PAYLOAD = 7000; // NOTIFY payloads must stay under 8000 bytes
const MAX_PENDING_QUEUES = 1000; // flush early rather than grow
const PEER_CHECK_MS = 1000;
const RECONNECT_MS = 1000;

type State = {
  instanceId: string;
  started: boolean;
  hasPeers: boolean;
  /** queue id → messages that became visible, to announce. */
  pending: Map<string, number>;
  /** queue id → performance.now() when its earliest announced delayed message becomes visible. */
  delayed: Map<string, number>;
  /** a publish left HTTP pushes since the last flush */
  pushPending: boolean;
  flushTimer: NodeJS.Timeout | null;
  listener: pg.Client | null;
  timers: Set<NodeJS.Timeout>;
};
const state = singleton<State>("crossProcessWake", () => ({
  instanceId: randomUUID().slice(0, 8),
  started: false,
  hasPeers: false,
  pending: new Map(),
  delayed: new Map(),
  pushPending: false,
  flushTimer: null,
  listener: null,
  timers: new Set(),
}));

/** Tells other processes that `count` messages became visible in the queue. */
export function announceSend(queueId: string, count: number): void {
  if (!state.started || !state.hasPeers) return;
  state.pending.set(queueId, (state.pending.get(queueId) ?? 0) + count);
  requestFlush();
}

/** Tells other processes that a delayed message of the queue becomes visible in `inMs` ms. */
export function announceDelayed(queueId: string, inMs: number): void {
  if (!state.started || !state.hasPeers) return;
  const at = performance.now() + inMs;
  const earliest = state.delayed.get(queueId);
  if (earliest === undefined || at < earliest) state.delayed.set(queueId, at);
  requestFlush();
}

/** Tells other processes' push workers that deliveries are due now (a publish to HTTP subscriptions). */
export function announcePush(): void {
  if (!state.started || !state.hasPeers) return;
  state.pushPending = true;
  requestFlush();
}

/** Whether this process announces (another process listens): for tests and diagnostics. */
export const hasWakePeers = () => state.started && state.hasPeers;

function requestFlush() {
  if (state.pending.size + state.delayed.size >= MAX_PENDING_QUEUES) {
    if (state.flushTimer) clearTimeout(state.flushTimer);
    flush();
    return;
  }
  state.flushTimer ??= setTimeout(flush, FLUSH_MS);
}

// Payload: "<instance> <queue>:<count> <queue>:+<ms until visible> …". Delays travel as relative
// milliseconds: the processes' wall clocks need not agree.
function flush() {
  state.flushTimer = null;
  const now = performance.now();
  const entries = [
    ...[...state.pending].map(([queueId, count]) => `${queueId}:${Math.min(count, 999)}`),
    ...[...state.delayed].map(([queueId, at]) => `${queueId}:+${Math.max(0, Math.round(at - now))}`),
    ...(state.pushPending ? [PUSH_ENTRY] : []),
  ];
  state.pending.clear();
  state.delayed.clear();
  state.pushPending = false;
  if (entries.length === 0) return;
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

function onNotification(message: pg.Notification) {
  const [sender, ...entries] = (message.payload ?? "").split(" ");
  if (sender === state.instanceId) return;
  for (const entry of entries) {
    if (entry === PUSH_ENTRY) {
      wakePushWorker();
      continue;
    }
    const [queueId, value = ""] = entry.split(":");
    if (!queueId) continue;
    if (value.startsWith("+")) scheduleWake(queueId, Number(value.slice(1)) || 0);
    // "@<epoch ms>" from a process of an earlier version: re-check soon, by the database's clock.
    else if (value.startsWith("@")) scheduleWake(queueId, 0);
    else wakeReceivers(queueId, Number(value) || 1);
  }
}

function later(fn: () => void, ms: number) {
  const timer = setTimeout(() => {
    state.timers.delete(timer);
    fn();
  }, ms);
  timer.unref?.();
  state.timers.add(timer);
}

/** Listens for other processes' sends; reconnects with a pause when the connection drops. */
export function startCrossProcessWake(options: { connectionString?: string } = {}): void {
  if (state.started) return;
  state.started = true;
  const connectionString = options.connectionString ?? settings().databaseUrl;

  const connect = () => {
    if (!state.started) return;
    const client = new pg.Client({
      connectionString,
      // A server that vanishes without closing the socket is noticed, not waited on forever.
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      connectionTimeoutMillis: 5000,
    });
    state.listener = client;
    let isLost = false;
    const lost = (error: unknown) => {
      if (isLost) return;
      isLost = true;
      if (state.listener === client) state.listener = null;
      // The handlers stay attached: an error the dying client emits later must not go unhandled.
      client.end().catch(() => {});
      if (!state.started) return;
      setRecheckInterval(RECHECK_MS.unannounced); // until the next LISTEN, other processes' sends go unheard
      logger.warn({ err: error }, "cross-process wake connection lost; reconnecting");
      later(connect, RECONNECT_MS);
    };
    client.on("error", lost);
    client.on("end", () => lost(new Error("the LISTEN connection was closed")));
    client.on("notification", onNotification);
    client
      .connect()
      // Named by a statement, not by the client's options: an application_name in DATABASE_URL
      // overrides those, and a listener under another name is no peer to the other processes (they
      // would announce nothing to it, and its waiters would wait for the 10 s safety net).
      .then(() => client.query(`SET application_name = '${wakeListenerName()}'`))
      .then(() => client.query(`LISTEN ${CHANNEL}`))
      .then(() => {
        // Other processes' sends now arrive as announcements; the idle re-check is only a safety net.
        if (!isLost) setRecheckInterval(RECHECK_MS.safetyNet);
      }, lost);
  };
  connect();

  const checkPeers = async () => {
    try {
      const { rows } = await getPool().query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
         WHERE datname = current_database() AND application_name LIKE $1 AND application_name <> $2`,
        [`${APPLICATION_PREFIX}%`, `${APPLICATION_PREFIX}${state.instanceId}`],
      );
      state.hasPeers = (rows[0]?.n ?? 0) > 0;
    } catch {
      state.hasPeers = true; // when unsure, announce
    }
    if (state.started) later(checkPeers, PEER_CHECK_MS);
  };
  void checkPeers();
}

/** Stops listening and announcing (tests; a process that shuts down). */
export async function stopCrossProcessWake(): Promise<void> {
  state.started = false;
  state.hasPeers = false;
  for (const timer of state.timers) clearTimeout(timer);
  state.timers.clear();
  const client = state.listener;
  state.listener = null;
  await client?.end().catch(() => {});
  setRecheckInterval(RECHECK_MS.unannounced);
}

/** The id this process's listener names itself with (application_name), for tests and diagnostics. */
export const wakeListenerName = () => `${APPLICATION_PREFIX}${state.instanceId}`;
