import type { Harness } from "../context";
import { type Latency, summarize } from "../loop";

// W7 peek: one queue holding a large backlog (1,000,000 in the full run) — 60% visible, 20% delayed,
// 20% in flight, interleaved in delivery order, every 1,000th body containing "needle" — and the
// console's first page of each state (GET /api/v1/queues/{name}/messages?state=…&limit=50), then a
// search that matches 0.1% of bodies and one that matches none (the worst case: every row read).
// Requests are sequential, one at a time. Bodies are 256 bytes; issue 10's variant fills 64 KiB bodies
// (`bodyBytes`): a 10-digit number, the needle or not, then 'x' to the size — very compressible, so
// TOAST keeps ~1 KB of each on disk (1,000,000 of them: ~1 GB, not 64 GB) and a search pays for
// decompressing and scanning each 64 KiB body, not for reading it from disk.

export type PeekVariant = { id: string; query: string; latency: Latency; rows: number; errors: string[] };
export type PeekResult = { messages: number; bodyBytes: number; fillSeconds: number; variants: PeekVariant[] };

const variants: { id: string; query: string }[] = [
  { id: "state=all", query: "state=all" },
  { id: "state=visible", query: "state=visible" },
  { id: "state=delayed", query: "state=delayed" },
  { id: "state=inFlight", query: "state=inFlight" },
  { id: "search (0.1% match)", query: "state=all&search=needle" },
  { id: "search (no match)", query: "state=all&search=no-such-text" },
];

/** Rows per INSERT of the fill. */
const fillChunk = 50_000;

export async function runPeek(
  h: Harness,
  settings: { messages: number; requests: number; capMs: number; bodyBytes?: number },
): Promise<PeekResult> {
  const bodyBytes = settings.bodyBytes ?? 256;
  h.say(
    `W7 peek: ${settings.messages.toLocaleString("en-US")} messages of ${bodyBytes.toLocaleString("en-US")} bytes in one queue, ${settings.requests} requests per variant`,
  );
  await h.truncate();
  const queue = await h.createQueue(`b-w7-${Date.now().toString(36)}`);
  // One session without the pool's statement timeout: 1,000,000 bodies of 64 KiB take minutes to
  // insert (in statements of fillChunk rows) and to vacuum.
  const client = await h.pool.connect();
  let fillSeconds = 0;
  try {
    await client.query("SET statement_timeout = 0");
    const t0 = Date.now();
    for (let from = 1; from <= settings.messages; from += fillChunk) {
      const to = Math.min(settings.messages, from + fillChunk - 1);
      await client.query(
        `INSERT INTO message (queue_id, body, enqueued_at, visible_at, first_dequeued_at, dequeue_count, receipt)
         SELECT $1,
                lpad(i::text, 10, '0') || CASE WHEN i % 1000 = 0 THEN ' needle ' ELSE ' ' END || repeat('x', $4),
                now() - interval '1 hour' + i * interval '1 millisecond',
                CASE WHEN i % 10 < 6 THEN now() - interval '1 hour' + i * interval '1 millisecond'
                     ELSE now() + (60 + (i::bigint * 7919) % 3600) * interval '1 second' END,
                CASE WHEN i % 10 >= 8 THEN now() END,
                CASE WHEN i % 10 >= 8 THEN 1 ELSE 0 END,
                CASE WHEN i % 10 >= 8 THEN gen_random_uuid() END
         FROM generate_series($2::int, $3::int) AS i`,
        [queue.id, from, to, bodyBytes - 18],
      );
      if (to < settings.messages && Date.now() - t0 > 10_000)
        h.say(`  ${to.toLocaleString("en-US")} inserted (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    }
    fillSeconds = (Date.now() - t0) / 1000;
    h.say(`  inserted in ${fillSeconds.toFixed(1)} s; VACUUM (FREEZE, ANALYZE), CHECKPOINT`);
    // As the harness's settle(): the backlog all-frozen, so no autovacuum lands in the requests.
    await client.query("SELECT pg_stat_force_next_flush()");
    await client.query("VACUUM (FREEZE, ANALYZE) message");
    await client.query("CHECKPOINT");
    await client.query("RESET statement_timeout");
  } finally {
    client.release();
  }

  const results: PeekVariant[] = [];
  for (const variant of variants) {
    const url = `/api/v1/queues/${queue.name}/messages?${variant.query}&limit=50`;
    const times: number[] = [];
    const errors = new Set<string>();
    let rows = 0;
    const deadline = performance.now() + settings.capMs;
    await h.http.get(url); // one unmeasured request: plan and page cache
    // At least one measured request, however long the unmeasured one took.
    for (let i = 0; i < settings.requests && (i === 0 || performance.now() < deadline); i++) {
      const start = performance.now();
      const res = await h.http.get(url);
      times.push(performance.now() - start);
      if (res.status !== 200) errors.add(`HTTP ${res.status}`);
      else rows = (res.json as { messages: unknown[] }).messages.length;
    }
    const latency = summarize(times);
    results.push({ id: variant.id, query: variant.query, latency, rows, errors: [...errors] });
    h.say(
      `  W7 ${variant.id}: ${times.length} requests, p50 ${latency.p50.toFixed(1)} ms, p99 ${latency.p99.toFixed(1)} ms, ${rows} rows per page` +
        (errors.size ? `; ${[...errors].join("; ")}` : ""),
    );
  }
  return { messages: settings.messages, bodyBytes, fillSeconds, variants: results };
}
