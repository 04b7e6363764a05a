import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { type Check, Ledger, ledgerChecks, type Summary } from "./ledger";
import { Load, type LoadOptions, type Target } from "./load";
import { baseBackupAsStandby, type PgNode, primaryConninfo, waitUntil } from "./pg-node";
import { runScaleOut } from "./scale-out";
import { buildWorld, type Context, drainQueue, rowsInQueue, streamingStandbys, type World } from "./world";

// The fault cases. Each builds its world, runs producers and consumers through the REST API,
// injects its fault mid-load, repairs (as a supervisor, an operator or an orchestrator would),
// lets the load go on, stops it, drains the queue, and reports from the ledger. A case passes only
// if nothing acknowledged was lost, nothing was delivered twice within a lease or after an
// acknowledged delete, clients saw only retryable failures, and its own checks hold.

export type CaseResult = {
  id: string;
  title: string;
  summary: Summary;
  /** Fault → first acknowledged send that was asked after it. */
  recoveryMs: number | null;
  /** Longest stretch without an acknowledged send, from the fault to the end of the load. */
  longestGapMs: number;
  figures: string[];
  checks: Check[];
};

export type Timing = { warmMs: number; afterMs: number; leaseSeconds: number; outageMs: number };
export const timings = {
  short: { warmMs: 2500, afterMs: 3000, leaseSeconds: 5, outageMs: 3000 },
  full: { warmMs: 6000, afterMs: 8000, leaseSeconds: 8, outageMs: 6000 },
} satisfies Record<string, Timing>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Fault = (ctx: {
  world: World;
  ledger: Ledger;
  target: Target;
  queue: string;
  timing: Timing;
  figures: string[];
  checks: Check[];
}) => Promise<{
  faultAt: number;
  doomedConsumer?: string;
  /** Checks to run once the load has stopped, before the queue is drained. */
  afterLoad?: () => Promise<void>;
}>;

type CaseSpec = {
  id: string;
  title: string;
  processes: number;
  replicated: boolean;
  appEnv?: Record<string, string>;
  load?: Partial<LoadOptions>;
  fault: Fault;
};

async function runCase(ctx: Context, spec: CaseSpec, timing: Timing): Promise<CaseResult> {
  ctx.say(`${spec.id}: ${spec.title} — setting up`);
  const world = await buildWorld(ctx, {
    name: spec.id,
    processes: spec.processes,
    replicated: spec.replicated,
    appEnv: spec.appEnv,
  });
  try {
    const queue = `faults-${spec.id}-${Date.now().toString(36)}`;
    await world.createQueue(queue);
    const ledger = new Ledger();
    const target: Target = { url: () => world.app.url, auth: world.auth, queue };
    const options: LoadOptions = {
      producers: 4,
      consumers: 3,
      batch: 4,
      leaseSeconds: timing.leaseSeconds,
      requestTimeoutMs: 15_000,
      ...spec.load,
    };
    const load = new Load(target, ledger, options);
    const figures: string[] = [];
    const checks: Check[] = [];
    load.start();
    await sleep(timing.warmMs);
    ctx.say(`${spec.id}: fault`);
    const { faultAt, doomedConsumer, afterLoad } = await spec.fault({
      world,
      ledger,
      target,
      queue,
      timing,
      figures,
      checks,
    });
    await waitUntil(async () => ledger.recoveryAfter(faultAt) !== null, 90_000, "sends to succeed again").catch(() =>
      checks.push({ ok: false, what: "sends succeeded again within 90 s of the fault" }),
    );
    await sleep(timing.afterMs);
    const loadEnd = Date.now();
    await load.stop();
    await afterLoad?.();
    ctx.say(`${spec.id}: load stopped; draining`);
    const drained = await drainQueue(world, ledger, target, queue, timing.leaseSeconds);
    checks.push({ ok: drained, what: "the queue drained to 0 rows" });
    const summary = ledger.summary({ doomedConsumer });
    return {
      id: spec.id,
      title: spec.title,
      summary,
      recoveryMs: ledger.recoveryAfter(faultAt),
      longestGapMs: ledger.longestSendGap(faultAt, loadEnd),
      figures,
      checks: [...ledgerChecks(summary), ...checks],
    };
  } finally {
    await world.close();
  }
}

// a. kill -9 of an app process under load, and its restart.
const appKillSingle: CaseSpec = {
  id: "a1",
  title: "kill -9 the app (1 process) under load; restarted after 1 s",
  processes: 1,
  replicated: false,
  async fault({ world, figures }) {
    const faultAt = Date.now();
    await world.app.kill9();
    await sleep(1000); // a supervisor's restart delay (systemd RestartSec=1)
    await world.app.start();
    figures.push(`app serving again ${Date.now() - faultAt} ms after the kill (restart included)`);
    return { faultAt };
  },
};

const appKillOneOfTwo: CaseSpec = {
  id: "a2",
  title: "kill -9 one of 2 app processes under load; the cluster replaces it",
  processes: 2,
  replicated: false,
  async fault({ world, figures, checks }) {
    const before = world.app.servingPids();
    const victim = before[0];
    if (!victim) throw new Error("no app process to kill");
    const faultAt = Date.now();
    process.kill(victim, "SIGKILL");
    const replaced = await waitUntil(
      async () => {
        const now = world.app.servingPids();
        return now.length === 2 && !now.includes(victim);
      },
      20_000,
      "a replacement app process",
    ).then(
      () => true,
      () => false,
    );
    checks.push({ ok: replaced, what: "the killed process was replaced (2 serving again)" });
    figures.push(`replacement process running ${Date.now() - faultAt} ms after the kill`);
    return { faultAt };
  },
};

// b. PostgreSQL stopped (or crashed) and started again under load.
const databaseRestart = (mode: "stop" | "crash", processes: number): CaseSpec => ({
  id: mode === "stop" ? "b1" : "b2",
  title:
    mode === "stop"
      ? `PostgreSQL stopped (fast shutdown) and restarted under load (${processes} app process${processes > 1 ? "es" : ""})`
      : `PostgreSQL killed -9 (crash recovery) and restarted under load (${processes} app process${processes > 1 ? "es" : ""})`,
  processes,
  replicated: false,
  async fault({ world, timing, figures }) {
    const node = world.primary();
    const faultAt = Date.now();
    if (mode === "stop") await node.stop();
    else await node.kill9();
    await sleep(timing.outageMs);
    await node.start();
    figures.push(`PostgreSQL down ${Date.now() - faultAt} ms (restart included)`);
    return { faultAt };
  },
});

// c. A consumer dies holding leases: a separate process, killed -9 after its receives were answered.
const DOOMED = "doomed";
const doomedConsumerScript = `
const [url, auth, queue, lease, limit] = process.argv.slice(1);
(async () => {
  let held = 0;
  while (held < Number(limit)) {
    const askedAt = Date.now();
    const res = await fetch(url + "/api/v1/queues/" + queue + "/messages/receive", {
      method: "POST",
      headers: { authorization: auth, "content-type": "application/json" },
      body: JSON.stringify({ max: 16, waitSeconds: 1, visibilityTimeout: Number(lease) }),
    });
    const body = await res.json();
    if (res.status !== 200 || body.messages.length === 0) continue;
    held += body.messages.length;
    const messages = body.messages.map((m) => ({ id: m.id, body: m.body, dequeueCount: m.dequeueCount }));
    console.log(JSON.stringify({ askedAt, answeredAt: Date.now(), messages }));
  }
  setInterval(() => {}, 1000); // holds its leases, deletes nothing, until it is killed
})();
`;

const consumerDies: CaseSpec = {
  id: "c",
  title: "a consumer process dies (kill -9) holding leases; 2 app processes",
  processes: 2,
  replicated: false,
  // Consumers well ahead of producers: a returned message is not queued behind a backlog.
  load: { producers: 2 },
  async fault({ world, ledger, queue, timing, figures, checks }) {
    const child = spawn(
      process.execPath,
      ["-e", doomedConsumerScript, world.app.url, world.auth, queue, String(timing.leaseSeconds), "32"],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    const held: { id: string; askedAt: number; answeredAt: number }[] = [];
    const lines = createInterface({ input: child.stdout });
    lines.on("line", (line) => {
      const got = JSON.parse(line) as {
        askedAt: number;
        answeredAt: number;
        messages: { id: string; body: string; dequeueCount: number }[];
      };
      for (const m of got.messages) {
        ledger.deliver(m.id, m.body, {
          consumer: DOOMED,
          askedAt: got.askedAt,
          answeredAt: got.answeredAt,
          leaseMs: timing.leaseSeconds * 1000,
          dequeueCount: m.dequeueCount,
        });
        held.push({ id: m.id, askedAt: got.askedAt, answeredAt: got.answeredAt });
      }
    });
    await waitUntil(async () => held.length >= 32, 30_000, "the doomed consumer to hold 32 leases");
    const faultAt = Date.now();
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    figures.push(`the dead consumer held ${held.length} messages (lease ${timing.leaseSeconds} s)`);
    // After the lease each comes back, to a live consumer, exactly once.
    await waitUntil(
      async () => held.every(({ id }) => (ledger.deliveries.get(id)?.length ?? 0) >= 2),
      (timing.leaseSeconds + 30) * 1000,
      "the dead consumer's messages to be delivered again",
    ).catch(() => {});
    await sleep(2000); // room for a wrong third delivery to show
    const returns = held.map(({ id, askedAt }) => {
      const list = ledger.deliveries.get(id) ?? [];
      const again = list.filter((d) => d.consumer !== DOOMED);
      return { id, count: list.length, again, askedAt };
    });
    const delays = returns
      .map((r) => (r.again[0] ? r.again[0].answeredAt - (r.askedAt + timing.leaseSeconds * 1000) : null))
      .filter((d): d is number => d !== null);
    checks.push({
      ok: returns.every((r) => r.count === 2 && r.again.length === 1),
      what: `each of the dead consumer's ${held.length} messages delivered again exactly once (${returns.filter((r) => r.count === 2).length} of ${held.length})`,
    });
    checks.push({
      ok: returns.every((r) => r.again[0]?.dequeueCount === 2),
      what: "…as its second delivery (dequeueCount 2)",
    });
    checks.push({
      // Not before (the ledger's within-lease check is the exact one); promptly after, with room for
      // a busy shared machine (measured 0.8–3.7 s at load average 20).
      ok: delays.length === held.length && delays.every((d) => d >= -1000 && d <= 10_000),
      what: "…not before its lease ended, and within 10 s after",
    });
    if (delays.length) {
      figures.push(
        `returned ${Math.min(...delays)}…${Math.max(...delays)} ms after the lease's earliest end (the receive's asking time + lease)`,
      );
    }
    return { faultAt, doomedConsumer: DOOMED };
  },
};

/** Ids acknowledged before `t`, none of whose deliveries had a delete sent by then: they must be in the table. */
function mustExistAt(ledger: Ledger, t: number): string[] {
  const ids: string[] = [];
  for (const [id, ack] of ledger.acked) {
    if (ack.at > t) continue;
    const list = ledger.deliveries.get(id) ?? [];
    if (list.some((d) => d.deleteAskedAt !== undefined && d.deleteAskedAt <= t + 5000)) continue;
    ids.push(id);
  }
  return ids;
}

async function presentOn(node: PgNode, ids: string[]): Promise<Set<string>> {
  const rows = await node.query<{ id: string }>("SELECT id::text AS id FROM message WHERE id = ANY($1::bigint[])", [
    ids,
  ]);
  return new Set(rows.map((r) => r.id));
}

// d. Three copies before the ack; the primary killed -9 under load; a standby promoted; the app follows;
// the old primary rebuilt as a standby of the new one, back to three copies.
const failover = (id: string, processes: number): CaseSpec => ({
  id,
  title: `primary + 2 synchronous standbys (ANY 2, remote_apply), ${processes} app process${processes > 1 ? "es" : ""}: primary killed -9 under load, standby promoted, the old primary rebuilt as its standby`,
  processes,
  replicated: true,
  // Producers ahead of the consumer: a backlog of acknowledged messages to find on the standbys.
  load: { consumers: 1 },
  async fault({ world, ledger, queue, figures, checks }) {
    const [old, s1, s2] = world.nodes as [PgNode, PgNode, PgNode];
    const vip = world.vip;
    if (!vip) throw new Error("no VIP");
    const faultAt = Date.now();
    await old.kill9();
    vip.pointTo(null); // the VIP's health check fails: no primary until the promotion
    // Every send acknowledged before the crash is on both standbys already (remote_apply).
    const expected = mustExistAt(ledger, faultAt);
    for (const standby of [s1, s2]) {
      const present = await presentOn(standby, expected);
      const missing = expected.filter((id) => !present.has(id));
      checks.push({
        ok: missing.length === 0,
        what: `${standby.name} holds every message acknowledged before the crash and not yet being deleted (${present.size} of ${expected.length})`,
      });
    }
    checks.push({ ok: expected.length >= 20, what: `a backlog to check (${expected.length} ≥ 20 messages)` });
    // The orchestrator's part (Patroni's): promote the standby that received the most WAL, make the
    // other and the old primary (once rebuilt) its synchronous standbys, point the VIP at it.
    const lsns = await Promise.all(
      [s1, s2].map(async (node) => {
        const rows = await node.query<{ lsn: string }>("SELECT pg_last_wal_receive_lsn()::text AS lsn");
        return { node, lsn: rows[0]?.lsn ?? "0/0" };
      }),
    );
    const [ahead, behind] = lsnOrder(
      lsns[0] as { node: PgNode; lsn: string },
      lsns[1] as { node: PgNode; lsn: string },
    );
    const primary = ahead.node;
    await primary.promote();
    // Still ANY 2: the new primary acknowledges nothing until both the other standby and the rebuilt
    // old primary have applied it (writes wait meanwhile, as in case e) — never two copies.
    await primary.query(`ALTER SYSTEM SET synchronous_standby_names = 'ANY 2 (${behind.node.name}, ${old.name})'`);
    await primary.query("SELECT pg_reload_conf()");
    const password = passwordOf(primary);
    const conninfo = primaryConninfo(primary.port, behind.node.name, password);
    await behind.node.query(`ALTER SYSTEM SET primary_conninfo = '${conninfo}'`);
    await behind.node.query("SELECT pg_reload_conf()");
    vip.pointTo(primary.port);
    world.setPrimary(primary);
    const promotedAt = Date.now();
    figures.push(
      `promoted ${primary.name} (received ${ahead.lsn}; ${behind.node.name} had ${behind.lsn}) ${promotedAt - faultAt} ms after the kill`,
    );
    const following = await waitUntil(async () => (await streamingStandbys(primary)) === 1, 60_000, "the other standby")
      .then(() => true)
      .catch(() => false);
    checks.push({ ok: following, what: `${behind.node.name} streams synchronously from the new primary` });
    const followingAt = Date.now();
    // The third copy: the old primary's data directory replaced by a base backup of the running new
    // primary (what `pg_basebackup -R` or Patroni's reinit does), started as its standby.
    const backup = await baseBackupAsStandby(primary, old.dir, { name: old.name }, password);
    const rebuildStartedAt = Date.now();
    await old.start();
    const streaming = await waitUntil(async () => (await streamingStandbys(primary)) === 2, 60_000, "the rebuilt node")
      .then(() => true)
      .catch(() => false);
    const rebuiltAt = Date.now();
    checks.push({
      ok: streaming,
      what: `${old.name}, rebuilt from a base backup, streams synchronously: 3 copies again`,
    });
    figures.push(
      `${behind.node.name} streaming from ${primary.name} ${followingAt - promotedAt} ms after the promotion; base backup of ${primary.name} (${backup.startLsn}…${backup.stopLsn}) copied in ${rebuildStartedAt - followingAt} ms; ${old.name} streaming ${rebuiltAt - rebuildStartedAt} ms after its start`,
    );
    // No send may be acknowledged from the crash until the rebuilt node could confirm it: the new
    // primary waits for ANY 2, and only one standby existed before the old primary started again.
    const early = ledger.sendAcks.filter((a) => a.askedAt > faultAt && a.at < rebuildStartedAt);
    checks.push({ ok: early.length === 0, what: `no send acknowledged with fewer than 3 copies (${early.length})` });
    // Once the load has stopped: the rebuilt node holds every acknowledged message not deleted —
    // those from before the crash through the backup, the later ones through streaming.
    const afterLoad = async () => {
      const waited = ledger.sendAcks.filter((a) => a.askedAt < rebuildStartedAt && a.at >= rebuildStartedAt);
      const firstAfter = ledger.sendAcks.filter((a) => a.at >= rebuildStartedAt).sort((a, b) => a.at - b.at)[0];
      figures.push(
        `${waited.length} sends waited for the rebuild and were acknowledged after it (longest ${Math.max(0, ...waited.map((a) => a.at - a.askedAt))} ms); first acknowledgement ${firstAfter ? firstAfter.at - rebuildStartedAt : "?"} ms after ${old.name} started`,
      );
      const mustExist = mustExistAt(ledger, Date.now());
      const [onPrimary, onRebuilt] = await Promise.all([presentOn(primary, mustExist), presentOn(old, mustExist)]);
      checks.push({
        ok: onPrimary.size === mustExist.length && onRebuilt.size === mustExist.length,
        what: `after the load, ${old.name} (rebuilt) and ${primary.name} hold every acknowledged message not deleted (${onRebuilt.size} and ${onPrimary.size} of ${mustExist.length})`,
      });
      const [rowsPrimary, rowsRebuilt] = await Promise.all([rowsInQueue(primary, queue), rowsInQueue(old, queue)]);
      checks.push({
        ok: rowsPrimary === rowsRebuilt,
        what: `…and the same rows of the queue (${rowsRebuilt} on ${old.name}, ${rowsPrimary} on ${primary.name})`,
      });
    };
    return { faultAt, afterLoad };
  },
});

function lsnOrder<T extends { lsn: string }>(a: T, b: T): [T, T] {
  const value = (lsn: string) => {
    const [hi = "0", lo = "0"] = lsn.split("/");
    return BigInt(`0x${hi}`) * 2n ** 32n + BigInt(`0x${lo}`);
  };
  return value(a.lsn) >= value(b.lsn) ? [a, b] : [b, a];
}

const passwordOf = (node: PgNode) => decodeURIComponent(new URL(node.url).password);

// e. A synchronous standby dies: with ANY 2 of 2, commits wait for it — never acknowledged with fewer copies.
const standbyDies: CaseSpec = {
  id: "e",
  title: "a synchronous standby killed -9 under load (ANY 2 of 2): writes wait, no ack with 2 copies; restarted",
  processes: 1,
  replicated: true,
  // A short statement timeout, to show it does not end the wait: PostgreSQL disables it before the
  // commit, and cancelling a commit's wait for replication would report success with a warning.
  appEnv: { OPENCMQ_STATEMENT_TIMEOUT_MS: "3000" },
  load: { requestTimeoutMs: 60_000 },
  async fault({ world, ledger, timing, figures, checks }) {
    const standby = world.nodes[2] as PgNode;
    const probes: { live: number; ready: number; body: string }[] = [];
    const faultAt = Date.now();
    await standby.kill9();
    const downFor = timing.outageMs * 2;
    while (Date.now() < faultAt + downFor) {
      probes.push(await probe(world.app.url));
      await sleep(500);
    }
    const restoredAt = Date.now();
    await standby.start();
    // Acknowledgements asked after the standby died (give its death 300 ms to reach the primary) and
    // answered before it was back would be messages on fewer than three servers.
    const early = ledger.sendAcks.filter((a) => a.askedAt > faultAt + 300 && a.at < restoredAt);
    checks.push({ ok: early.length === 0, what: `no send acknowledged while a copy was missing (${early.length})` });
    const lastProbe = probes.at(-1);
    checks.push({
      ok: probes.length > 0 && probes.every((p) => p.live === 200) && lastProbe?.ready === 503,
      what: "meanwhile /api/health/live 200, /api/health/ready 503",
    });
    checks.push({
      ok: /1 of 2 synchronous standbys streaming/.test(lastProbe?.body ?? ""),
      what: `ready names the cause: ${/"message":"([^"]*)"/.exec(lastProbe?.body ?? "")?.[1] ?? lastProbe?.body}`,
    });
    await waitUntil(async () => (await streamingStandbys(world.primary())) === 2, 60_000, "the standby to return");
    const resumed = ledger.sendAcks.filter((a) => a.at >= restoredAt).sort((a, b) => a.at - b.at)[0];
    figures.push(
      `standby down ${restoredAt - faultAt} ms; waiting writes acknowledged ${resumed ? resumed.at - restoredAt : "?"} ms after it was restarted`,
    );
    const waited = ledger.sendAcks.filter((a) => a.askedAt < restoredAt && a.at >= restoredAt);
    figures.push(
      `${waited.length} sends waited through the outage and were acknowledged after it (longest ${Math.max(0, ...waited.map((a) => a.at - a.askedAt))} ms, statement_timeout 3000 ms)`,
    );
    await waitUntil(async () => (await probe(world.app.url)).ready === 200, 30_000, "ready again").then(
      () => checks.push({ ok: true, what: "ready again once both standbys stream" }),
      () => checks.push({ ok: false, what: "ready again once both standbys stream" }),
    );
    return { faultAt: restoredAt };
  },
};

async function probe(url: string) {
  const get = async (path: string) => {
    try {
      const res = await fetch(`${url}${path}`, { signal: AbortSignal.timeout(10_000) });
      return { status: res.status, body: await res.text() };
    } catch {
      return { status: 0, body: "" };
    }
  };
  const [live, ready] = await Promise.all([get("/api/health/live"), get("/api/health/ready")]);
  return { live: live.status, ready: ready.status, body: ready.body };
}

/** A case that runs its own course (no fault injected into a common frame). */
type OwnCase = { id: string; title: string; run: (ctx: Context, timing: Timing) => Promise<CaseResult> };

const scaleOut: OwnCase = {
  id: "n",
  title: "no fault: the mixed load against 1 app process, then 2, then 1 again (same database, same run)",
  run: (ctx, timing) => runScaleOut(ctx, timing, "n", scaleOut.title),
};

export const allCases: Record<string, CaseSpec | OwnCase> = {
  a1: appKillSingle,
  a2: appKillOneOfTwo,
  b1: databaseRestart("stop", 1),
  b2: databaseRestart("crash", 2),
  c: consumerDies,
  d: failover("d", 1),
  d2: failover("d2", 2),
  e: standbyDies,
  n: scaleOut,
};

export async function runCases(ctx: Context, ids: string[], timing: Timing, repeat: number): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const id of ids) {
    const spec = allCases[id];
    if (!spec) throw new Error(`no case ${id} (cases: ${Object.keys(allCases).join(", ")})`);
    for (let run = 1; run <= repeat; run++) {
      const result = "run" in spec ? await spec.run(ctx, timing) : await runCase(ctx, spec, timing);
      results.push(repeat > 1 ? { ...result, id: `${id}#${run}` } : result);
    }
  }
  return results;
}
