// Prometheus text exposition format 0.0.4 of the installation's metrics (GET /metrics): per queue
// monotonic `_total` counters (cumulative in the database, summed over every app process, so a scrape
// may reach any process) and gauges (the counts kept without scanning); per account and API action,
// requests, errors and a latency histogram. One statement per family group, no message scanned: a
// scrape costs the same whatever the backlog.
import { selectPrometheusApi, selectPrometheusQueues } from "@/lib/store/metrics";
import { latencyBoundsMs } from "./latency";

export type PrometheusScope = { accountId: string | null; canSee: (queueName: string) => boolean };

const escapeLabel = (value: string) => value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
const labels = (pairs: Record<string, string>) =>
  `{${Object.entries(pairs)
    .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
    .join(",")}}`;
/** Prometheus' number format: integers as such, others in full precision. */
const num = (n: number) => (Number.isFinite(n) ? String(n) : n > 0 ? "+Inf" : "NaN");

type Family = { name: string; help: string; type: "counter" | "gauge" | "histogram"; lines: string[] };

export async function renderPrometheus(scope: PrometheusScope): Promise<string> {
  const [queues, api] = await Promise.all([
    selectPrometheusQueues(scope.accountId),
    selectPrometheusApi(scope.accountId),
  ]);
  const family = (name: string, type: Family["type"], help: string): Family => ({ name, help, type, lines: [] });
  const sent = family("opencmq_queue_messages_sent_total", "counter", "Messages sent to the queue (CMQ SendMsgNum)");
  const received = family("opencmq_queue_messages_received_total", "counter", "Messages received (CMQ RecvMsgNum)");
  const empty = family(
    "opencmq_queue_empty_receives_total",
    "counter",
    "Receives answered with no message (CMQ RecvNullMsgNum)",
  );
  const deleted = family(
    "opencmq_queue_messages_deleted_total",
    "counter",
    "Messages deleted by receipt handle (CMQ DelMsgNum)",
  );
  const messages = family(
    "opencmq_queue_messages",
    "gauge",
    "Messages in the queue by state (visible, in_flight, delayed; rewindable kept for rewind), recounted at most a minute ago plus flushed counters since",
  );
  const dead = family("opencmq_queue_dead_messages", "gauge", "Messages in the queue that died in another queue");
  const oldest = family(
    "opencmq_queue_oldest_message_age_seconds",
    "gauge",
    "Age of the queue's oldest message (0 when empty)",
  );
  for (const q of queues) {
    if (!scope.canSee(q.name)) continue;
    const l = { account_id: q.account_id, account: q.account_name, queue: q.name };
    sent.lines.push(`${sent.name}${labels(l)} ${num(q.send_total)}`);
    received.lines.push(`${received.name}${labels(l)} ${num(q.recv_total)}`);
    empty.lines.push(`${empty.name}${labels(l)} ${num(q.recv_null_total)}`);
    deleted.lines.push(`${deleted.name}${labels(l)} ${num(q.del_total)}`);
    for (const [state, n] of [
      ["visible", q.visible],
      ["in_flight", q.in_flight],
      ["delayed", q.delayed],
      ["rewindable", q.rewindable],
    ] as const) {
      messages.lines.push(`${messages.name}${labels({ ...l, state })} ${num(n)}`);
    }
    dead.lines.push(`${dead.name}${labels(l)} ${num(q.dead)}`);
    const age = q.oldest && q.total > 0 ? Math.max(0, Math.round((Date.now() - q.oldest.getTime()) / 1000)) : 0;
    oldest.lines.push(`${oldest.name}${labels(l)} ${num(age)}`);
  }
  const requests = family("opencmq_api_requests_total", "counter", "API calls answered, per account and action");
  const errors = family(
    "opencmq_api_errors_total",
    "counter",
    "API calls answered with an error, per account and action",
  );
  const duration = family("opencmq_api_request_duration_seconds", "histogram", "API call latency (bucket counts)");
  for (const a of api) {
    const l = { account_id: a.account_id, account: a.account_name, action: a.action };
    requests.lines.push(`${requests.name}${labels(l)} ${num(a.requests)}`);
    errors.lines.push(`${errors.name}${labels(l)} ${num(a.errors)}`);
    let cumulative = 0;
    latencyBoundsMs.forEach((bound, i) => {
      cumulative += Number(a.latency[i] ?? 0);
      duration.lines.push(`${duration.name}_bucket${labels({ ...l, le: num(bound / 1000) })} ${cumulative}`);
    });
    const count = a.latency.reduce((sum, n) => sum + Number(n), 0);
    duration.lines.push(`${duration.name}_bucket${labels({ ...l, le: "+Inf" })} ${count}`);
    duration.lines.push(`${duration.name}_sum${labels(l)} ${num(a.latency_sum_ms / 1000)}`);
    duration.lines.push(`${duration.name}_count${labels(l)} ${count}`);
  }
  return [sent, received, empty, deleted, messages, dead, oldest, requests, errors, duration]
    .map((f) => [`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} ${f.type}`, ...f.lines].join("\n"))
    .join("\n")
    .concat("\n");
}
