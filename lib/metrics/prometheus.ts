// Prometheus text exposition format 0.0.4 of the installation's metrics (GET /metrics): per queue
// monotonic `_total` counters (cumulative in the database, summed over every app process, so a scrape
// may reach any process) and gauges (the counts kept without scanning); per account and API action,
// requests, errors and a latency histogram. Three statements whatever the backlog, no message read.
//
// Cost (issue 12: "a scrape stays cheap with 10,000 queues"): the rows come as arrays (no object per
// row), each queue's label set is escaped and written once and shared by its ten lines, and each family's
// lines are pushed to one array joined once at the end — no per-line object, spread or regex.
// Concurrent scrapes of the same scope share one read of the rows (`sharedRead`), never a finished one.
import { singleton } from "@/lib/singleton";
import {
  type PrometheusApiRow,
  type PrometheusQueueRow,
  selectAccountNames,
  selectPrometheusApi,
  selectPrometheusQueues,
} from "@/lib/store/metrics";
import { latencyBoundsMs } from "./latency";

export type PrometheusScope = {
  accountId: string | null;
  canSee: (queueName: string) => boolean;
  /** The per-action API call counters: they count calls on every queue and topic of the account. */
  includesApiCalls: boolean;
};

const needsEscape = /[\\"\n]/;
/** A label value: backslash, double quote and newline escaped (most values have none). */
export const escapeLabel = (value: string) =>
  needsEscape.test(value) ? value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n") : value;
/** Prometheus' number format: integers as such, others in full precision. */
const num = (n: number) => (Number.isFinite(n) ? String(n) : n > 0 ? "+Inf" : Number.isNaN(n) ? "NaN" : "-Inf");

type Rows = { queues: PrometheusQueueRow[]; api: PrometheusApiRow[]; accounts: Map<string, string> };

/**
 * The rows of a scope, read once for all the scrapes of that scope that arrive while it is being read
 * (an HA pair of Prometheus servers, several dashboards). Only a read in flight is shared, never a
 * finished one: a scrape answers figures read after it arrived or at most one read's time (well
 * under a second) before, so one scraper's consecutive scrapes (seconds apart) never see a `_total`
 * go down. Keyed by account id (or all): at most one entry per account being scraped at this moment.
 */
const inFlight = singleton("prometheus-reads", () => new Map<string, Promise<Rows>>());

function sharedRead(accountId: string | null): Promise<Rows> {
  const key = accountId ?? "*";
  const running = inFlight.get(key);
  if (running) return running;
  const read = Promise.all([
    selectPrometheusQueues(accountId),
    selectPrometheusApi(accountId),
    selectAccountNames(accountId),
  ]).then(([queues, api, accounts]) => ({ queues, api, accounts }));
  inFlight.set(key, read);
  const forget = () => {
    if (inFlight.get(key) === read) inFlight.delete(key);
  };
  read.then(forget, forget);
  return read;
}

const counter = "counter";
const gauge = "gauge";
const head = (name: string, type: string, help: string) => `# HELP ${name} ${help}\n# TYPE ${name} ${type}`;

const sent = "opencmq_queue_messages_sent_total";
const received = "opencmq_queue_messages_received_total";
const empty = "opencmq_queue_empty_receives_total";
const deleted = "opencmq_queue_messages_deleted_total";
const messages = "opencmq_queue_messages";
const dead = "opencmq_queue_dead_messages";
const oldest = "opencmq_queue_oldest_message_age_seconds";
const requests = "opencmq_api_requests_total";
const errors = "opencmq_api_errors_total";
const duration = "opencmq_api_request_duration_seconds";
const leLabels = latencyBoundsMs.map((bound) => `,le="${num(bound / 1000)}"}`);

export async function renderPrometheus(scope: PrometheusScope): Promise<string> {
  const { queues, api, accounts } = await sharedRead(scope.accountId);
  /** `account_id="…",account="…"` per account, escaped once. */
  const accountLabels = new Map<string, string>();
  const accountLabel = (id: string) => {
    let l = accountLabels.get(id);
    if (l === undefined) {
      l = `account_id="${escapeLabel(id)}",account="${escapeLabel(accounts.get(id) ?? "")}"`;
      accountLabels.set(id, l);
    }
    return l;
  };

  const sentLines = [head(sent, counter, "Messages sent to the queue (CMQ SendMsgNum)")];
  const receivedLines = [head(received, counter, "Messages received (CMQ RecvMsgNum)")];
  const emptyLines = [head(empty, counter, "Receives answered with no message (CMQ RecvNullMsgNum)")];
  const deletedLines = [head(deleted, counter, "Messages deleted by receipt handle (CMQ DelMsgNum)")];
  const messagesLines = [
    head(
      messages,
      gauge,
      "Messages in the queue by state (visible, in_flight, delayed; rewindable kept for rewind), recounted at most a minute ago plus flushed counters since",
    ),
  ];
  const deadLines = [head(dead, gauge, "Messages in the queue that died in another queue")];
  const oldestLines = [head(oldest, gauge, "Age of the queue's oldest message (0 when empty)")];
  for (const [
    accountId,
    name,
    send,
    recv,
    recvNull,
    del,
    visible,
    inFlight,
    delayed,
    rewindable,
    deadN,
    age,
  ] of queues) {
    if (!scope.canSee(name)) continue;
    const l = `${accountLabel(accountId)},queue="${escapeLabel(name)}"`;
    const braced = `{${l}} `;
    sentLines.push(sent + braced + num(send));
    receivedLines.push(received + braced + num(recv));
    emptyLines.push(empty + braced + num(recvNull));
    deletedLines.push(deleted + braced + num(del));
    messagesLines.push(
      `${messages}{${l},state="visible"} ${num(visible)}`,
      `${messages}{${l},state="in_flight"} ${num(inFlight)}`,
      `${messages}{${l},state="delayed"} ${num(delayed)}`,
      `${messages}{${l},state="rewindable"} ${num(rewindable)}`,
    );
    deadLines.push(dead + braced + num(deadN));
    oldestLines.push(oldest + braced + num(age));
  }

  const requestLines = [head(requests, counter, "API calls answered, per account and action")];
  const errorLines = [head(errors, counter, "API calls answered with an error, per account and action")];
  const durationLines = [head(duration, "histogram", "API call latency (bucket counts)")];
  for (const a of scope.includesApiCalls ? api : []) {
    const l = `${accountLabel(a.account_id)},action="${escapeLabel(a.action)}"`;
    requestLines.push(`${requests}{${l}} ${num(a.requests)}`);
    errorLines.push(`${errors}{${l}} ${num(a.errors)}`);
    let cumulative = 0;
    latencyBoundsMs.forEach((_, i) => {
      cumulative += Number(a.latency[i] ?? 0);
      durationLines.push(`${duration}_bucket{${l}${leLabels[i]} ${cumulative}`);
    });
    const count = a.latency.reduce((sum, n) => sum + Number(n), 0);
    durationLines.push(`${duration}_bucket{${l},le="+Inf"} ${count}`);
    durationLines.push(`${duration}_sum{${l}} ${num(a.latency_sum_ms / 1000)}`);
    durationLines.push(`${duration}_count{${l}} ${count}`);
  }
  return `${[
    sentLines,
    receivedLines,
    emptyLines,
    deletedLines,
    messagesLines,
    deadLines,
    oldestLines,
    requestLines,
    errorLines,
    durationLines,
  ]
    .map((lines) => lines.join("\n"))
    .join("\n")}\n`;
}
