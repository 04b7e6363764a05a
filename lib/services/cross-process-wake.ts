import { randomUUID } from "node:crypto";
import pg from "pg";
import { settings } from "@/lib/config";
import { getPool } from "@/lib/db/pool";
import { logger } from "@/lib/logger";
import { wakePushWorker } from "@/lib/push/wake";
import { singleton } from "@/lib/singleton";
import {
  onFirstWaiter,
  RECHECK_MS,
  scheduleWake,
  setRecheckInterval,
  waitedQueueIds,
  wakeReceivers,
} from "./long-poll";

// Wakes long-polling receivers in the other app processes of an installation. Sends are announced
// on one Postgres channel, coalesced per process into at most one NOTIFY every FLUSH_MS (so the
// cost does not grow with the send rate); each process LISTENs on a dedicated connection and wakes
// its own waiters. A single process pays nothing: announcing starts only while another process
// listens (checked every PEER_CHECK_MS). Without the listener (tests, CLI) announcing does nothing.
// Publishes that leave HTTP pushes are announced on the same channel ("!push" in the payload, at
// most once a flush): every other process's push worker looks for due rows at once, instead of at
// its next poll (OPENCMQ_PUSH_POLL_MS); their claims (SKIP LOCKED) share the rows out.
//
// Sends are announced only for queues some other process waits on. A process whose queue gets its
// first long-polling receiver says so ("?<queue>", again every INTEREST_REFRESH_MS while receivers
// wait there); the others hold that interest for INTEREST_TTL_MS. A send to a queue nobody else waits
// on is remembered for RECENT_SEND_MS instead, and announced if interest in its queue arrives within
// that time: a receiver that found the queue empty just before the send, and said it waits just
// after, is still woken at once, not by the safety net. Until it has heard the others' interest (a
// listener that just connected asks with "?" and waits INTEREST_LEARNING_MS for the answers), while
// its listener is down, or while a process of an earlier version listens (its instance id lacks the
// "i" that marks this protocol), a process announces every send, as before.
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
/** "I have receivers waiting on this queue" (+ the queue id); alone: "who waits on what?". */
const INTEREST_ENTRY = "?";
const INTEREST_TTL_MS = 60_000;
const INTEREST_REFRESH_MS = 20_000;
const INTEREST_LEARNING_MS = 2000;
const RECENT_SEND_MS = 5000;
/** Bounds of the interest and recent-send maps (DESIGN.md invariant 10): past them, oldest out. */
const MAX_TRACKED_QUEUES = 10_000;
/** Instance ids of this protocol start with "i" (earlier ones are 8 hex digits, never an "i"). */
const INTEREST_MARK = "i";

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
  /** queue id → performance.now() until which another process has receivers waiting on it. */
  remoteInterest: Map<string, number>;
  /** queue id → when a send to it was not announced (nobody else waited), with the count. */
  recentSends: Map<string, { at: number; count: number }>;
  /** queue id → when its unannounced delayed message becomes visible. */
  recentDelayed: Map<string, number>;
  /** queues whose interest to say at the next flush; a lone "" asks the others for theirs. */
  pendingInterest: Set<string>;
  /** queue id → when this process last said it waits there. */
  interestSaid: Map<string, number>;
  /** performance.now() when the current LISTEN began; null while not listening. */
  listeningSince: number | null;
  /** a listener of an earlier version is there: it never says what it waits on. */
  hasLegacyPeers: boolean;
  flushTimer: NodeJS.Timeout | null;
  listener: pg.Client | null;
  timers: Set<NodeJS.Timeout>;
};
const state = singleton<State>("crossProcessWake", () => ({
  instanceId: `${INTEREST_MARK}${randomUUID().slice(0, 7)}`,
  started: false,
  hasPeers: false,
  pending: new Map(),
  delayed: new Map(),
  pushPending: false,
  remoteInterest: new Map(),
  recentSends: new Map(),
  recentDelayed: new Map(),
  pendingInterest: new Set(),
  interestSaid: new Map(),
  listeningSince: null,
  hasLegacyPeers: false,
  flushTimer: null,
  listener: null,
  timers: new Set(),
}));

/** Adds to a bounded map, last in at the end (the oldest entry goes past the bound). */
function remember<V>(map: Map<string, V>, key: string, value: V) {
  map.delete(key);
  map.set(key, value);
  if (map.size > MAX_TRACKED_QUEUES) {
    const oldest = map.keys().next().value;
    if (oldest !== undefined) map.delete(oldest);
  }
}

/** Whether a send to the queue is announced now: someone else waits there, or this process cannot tell. */
function isAnnounced(queueId: string, now: number): boolean {
  if (state.hasLegacyPeers || state.listeningSince === null) return true;
  if (now - state.listeningSince < INTEREST_LEARNING_MS) return true;
  return (state.remoteInterest.get(queueId) ?? 0) > now;
}

/** Tells other processes that `count` messages became visible in the queue. */
export function announceSend(queueId: string, count: number): void {
  if (!state.started || !state.hasPeers) return;
  const now = performance.now();
  if (!isAnnounced(queueId, now)) {
    const recent = state.recentSends.get(queueId);
    remember(state.recentSends, queueId, { at: now, count: (recent?.count ?? 0) + count });
    return;
  }
  state.pending.set(queueId, (state.pending.get(queueId) ?? 0) + count);
  requestFlush();
}

/** Tells other processes that a delayed message of the queue becomes visible in `inMs` ms. */
export function announceDelayed(queueId: string, inMs: number): void {
  if (!state.started || !state.hasPeers) return;
  const now = performance.now();
  const at = now + inMs;
  const target = isAnnounced(queueId, now) ? state.delayed : state.recentDelayed;
  const earliest = target.get(queueId);
  if (earliest === undefined || at < earliest) remember(target, queueId, at);
  if (target === state.delayed) requestFlush();
}

/** This process has its first receiver waiting on the queue: the others should announce its sends. */
function sayInterest(queueId: string) {
  if (!state.started || !state.hasPeers) return;
  if (performance.now() - (state.interestSaid.get(queueId) ?? -Infinity) < INTEREST_REFRESH_MS) return;
  state.pendingInterest.add(queueId);
  requestFlush();
}

/** Says again every queue this process has receivers waiting on (the others' interest expires). */
function refreshInterest() {
  if (!state.started || !state.hasPeers) return;
  for (const queueId of waitedQueueIds()) state.pendingInterest.add(queueId);
  if (state.pendingInterest.size > 0) requestFlush();
}

/** Another process waits on the queue: announce to it from now on, and what it just missed. */
function onInterest(queueId: string) {
  const now = performance.now();
  remember(state.remoteInterest, queueId, now + INTEREST_TTL_MS);
  const sent = state.recentSends.get(queueId);
  state.recentSends.delete(queueId);
  if (sent && now - sent.at <= RECENT_SEND_MS && state.hasPeers) {
    state.pending.set(queueId, (state.pending.get(queueId) ?? 0) + sent.count);
    requestFlush();
  }
  const delayedAt = state.recentDelayed.get(queueId);
  state.recentDelayed.delete(queueId);
  if (delayedAt !== undefined && delayedAt > now - RECENT_SEND_MS && state.hasPeers) {
    state.delayed.set(queueId, Math.min(delayedAt, state.delayed.get(queueId) ?? Infinity));
    requestFlush();
  }
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
  if (state.pending.size + state.delayed.size + state.pendingInterest.size >= MAX_PENDING_QUEUES) {
    if (state.flushTimer) clearTimeout(state.flushTimer);
    flush();
    return;
  }
  state.flushTimer ??= setTimeout(flush, FLUSH_MS);
}

// Payload: "<instance> <queue>:<count> <queue>:+<ms until visible> ?<queue> …". Delays travel as
// relative milliseconds: the processes' wall clocks need not agree.
function flush() {
  state.flushTimer = null;
  const now = performance.now();
  for (const queueId of state.pendingInterest) if (queueId) remember(state.interestSaid, queueId, now);
  const entries = [
    ...[...state.pending].map(([queueId, count]) => `${queueId}:${Math.min(count, 999)}`),
    ...[...state.delayed].map(([queueId, at]) => `${queueId}:+${Math.max(0, Math.round(at - now))}`),
    ...(state.pushPending ? [PUSH_ENTRY] : []),
    ...[...state.pendingInterest].map((queueId) => `${INTEREST_ENTRY}${queueId}`),
  ];
  state.pending.clear();
  state.delayed.clear();
  state.pushPending = false;
  state.pendingInterest.clear();
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
    if (entry.startsWith(INTEREST_ENTRY)) {
      const queueId = entry.slice(INTEREST_ENTRY.length);
      // "?" alone: a process that just started listening asks who waits on what.
      if (queueId) onInterest(queueId);
      else {
        state.interestSaid.clear();
        refreshInterest();
      }
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
      state.listeningSince = null; // others' interest goes unheard: announce every send meanwhile
      state.remoteInterest.clear();
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
        if (isLost) return;
        // Other processes' sends now arrive as announcements; the idle re-check is only a safety net.
        setRecheckInterval(RECHECK_MS.safetyNet);
        // Ask who waits on what, and say what this process waits on (its interest may have expired
        // at the others while it was away). Every send is announced until the answers are in.
        state.listeningSince = performance.now();
        state.interestSaid.clear();
        state.pendingInterest.add("");
        refreshInterest();
        requestFlush();
      }, lost);
  };
  connect();

  const checkPeers = async () => {
    try {
      const { rows } = await getPool().query<{ n: number; legacy: number }>(
        `SELECT count(*)::int AS n, count(*) FILTER (WHERE application_name NOT LIKE $3)::int AS legacy
         FROM pg_stat_activity
         WHERE datname = current_database() AND application_name LIKE $1 AND application_name <> $2`,
        [
          `${APPLICATION_PREFIX}%`,
          `${APPLICATION_PREFIX}${state.instanceId}`,
          `${APPLICATION_PREFIX}${INTEREST_MARK}%`,
        ],
      );
      const hadPeers = state.hasPeers;
      state.hasPeers = (rows[0]?.n ?? 0) > 0;
      state.hasLegacyPeers = (rows[0]?.legacy ?? 0) > 0;
      // A process just appeared: it asks for interest itself, but say it at once anyway.
      if (state.hasPeers && !hadPeers) refreshInterest();
    } catch {
      state.hasPeers = true; // when unsure, announce
      state.hasLegacyPeers = true;
    }
    if (state.started) later(checkPeers, PEER_CHECK_MS);
  };
  void checkPeers();
  const refreshing = () => {
    refreshInterest();
    if (state.started) later(refreshing, INTEREST_REFRESH_MS);
  };
  later(refreshing, INTEREST_REFRESH_MS);
  onFirstWaiter(sayInterest);
}

/** Stops listening and announcing (tests; a process that shuts down). */
export async function stopCrossProcessWake(): Promise<void> {
  state.started = false;
  state.hasPeers = false;
  state.hasLegacyPeers = false;
  state.listeningSince = null;
  for (const map of [state.remoteInterest, state.recentSends, state.recentDelayed, state.interestSaid]) map.clear();
  state.pendingInterest.clear();
  onFirstWaiter(null);
  for (const timer of state.timers) clearTimeout(timer);
  state.timers.clear();
  const client = state.listener;
  state.listener = null;
  await client?.end().catch(() => {});
  setRecheckInterval(RECHECK_MS.unannounced);
}

/** The id this process's listener names itself with (application_name), for tests and diagnostics. */
export const wakeListenerName = () => `${APPLICATION_PREFIX}${state.instanceId}`;
