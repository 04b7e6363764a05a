import http from "node:http";
import type { AddressInfo } from "node:net";
import { seal } from "@/lib/auth/secret-box";
import { getPool } from "@/lib/db/pool";
import { getPrisma } from "@/lib/db/prisma";
import { createTestPrincipal, uniqueName } from "@/lib/testing/fixtures";

// Test fixtures of the push worker: an HTTP subscription with the rows a publish would write
// (topic_message + push_delivery), and a local receiver that records what arrives. Tests create
// these rows themselves instead of going through the publish path (the topics work owns it).

export type PushSubscriptionFixture = {
  accountId: string;
  topicId: string;
  topicName: string;
  subscriptionId: string;
  subscriptionName: string;
};

export async function createPushSubscription(input: {
  endpoint: string;
  strategy?: "BACKOFF_RETRY" | "EXPONENTIAL_DECAY_RETRY";
  format?: "JSON" | "SIMPLIFIED";
  secret?: string | null;
  retentionSeconds?: number;
}): Promise<PushSubscriptionFixture> {
  const prisma = getPrisma();
  const principal = await createTestPrincipal();
  const topic = await prisma.topic.create({
    data: {
      accountId: principal.accountId,
      name: uniqueName("topic"),
      topicKey: uniqueName("topic"),
      filterType: 1,
      maxMsgSize: 65_536,
      msgRetentionSeconds: input.retentionSeconds ?? 86_400,
    },
  });
  const subscription = await prisma.subscription.create({
    data: {
      accountId: principal.accountId,
      topicId: topic.id,
      name: uniqueName("sub"),
      subscriptionKey: uniqueName("sub"),
      protocol: "http",
      endpoint: input.endpoint,
      notifyStrategy: input.strategy ?? "BACKOFF_RETRY",
      notifyContentFormat: input.format ?? "JSON",
      pushSecretEncrypted: input.secret ? seal(input.secret) : null,
    },
  });
  return {
    accountId: principal.accountId,
    topicId: String(topic.id),
    topicName: topic.name,
    subscriptionId: String(subscription.id),
    subscriptionName: subscription.name,
  };
}

/** What a publish leaves for the push worker: the message and its pending delivery (due now). */
export async function enqueuePush(
  subscription: PushSubscriptionFixture,
  message: { body?: string; tags?: string[]; publishedSecondsAgo?: number } = {},
): Promise<{ messageId: string; deliveryId: string }> {
  const { rows } = await getPool().query<{ message_id: string; delivery_id: string }>(
    `WITH m AS (
       INSERT INTO topic_message (topic_id, body, tags, published_at)
       VALUES ($1, $2, $3, now() - $4::float8 * interval '1 second') RETURNING id
     )
     INSERT INTO push_delivery (topic_message_id, subscription_id)
     SELECT m.id, $5::bigint FROM m RETURNING topic_message_id::text AS message_id, id::text AS delivery_id`,
    [
      subscription.topicId,
      message.body ?? uniqueName("body"),
      message.tags ?? [],
      message.publishedSecondsAgo ?? 0,
      subscription.subscriptionId,
    ],
  );
  const row = rows[0];
  if (!row) throw new Error("no delivery inserted");
  return { messageId: row.message_id, deliveryId: row.delivery_id };
}

export type DeliveryState = {
  status: string;
  attempts: number;
  finished: boolean;
  log: Array<{ attempt: number; httpStatus: number | null; error: string | null; hasNextAttempt: boolean }>;
};

export async function deliveryState(deliveryId: string): Promise<DeliveryState> {
  const pool = getPool();
  const { rows } = await pool.query(
    "SELECT status, attempts, finished_at IS NOT NULL AS finished FROM push_delivery WHERE id = $1",
    [deliveryId],
  );
  const { rows: log } = await pool.query(
    `SELECT attempt, http_status, error, next_attempt_at IS NOT NULL AS has_next
     FROM push_attempt WHERE delivery_id = $1 ORDER BY attempt, id`,
    [deliveryId],
  );
  const row = rows[0];
  if (!row) throw new Error(`no delivery ${deliveryId}`);
  return {
    status: row.status,
    attempts: row.attempts,
    finished: row.finished,
    log: log.map((entry) => ({
      attempt: entry.attempt,
      httpStatus: entry.http_status,
      error: entry.error,
      hasNextAttempt: entry.has_next,
    })),
  };
}

/** Polls `check` until it returns a value other than undefined, or fails after timeoutMs. */
export async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export type ReceivedPush = {
  at: number;
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
};

/**
 * A local HTTP receiver on 127.0.0.1. `answer` decides each response from what arrived (the count
 * includes this one); returning "hang" never answers (the connection stays open until close()).
 */
export async function startReceiver(
  answer: (push: ReceivedPush, count: number) => number | "hang" | { status: number; headers?: Record<string, string> },
) {
  const received: ReceivedPush[] = [];
  let connections = 0;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const push: ReceivedPush = {
        at: performance.now(),
        method: request.method ?? "",
        url: request.url ?? "",
        headers: request.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      received.push(push);
      const decision = answer(push, received.length);
      if (decision === "hang") return;
      const { status, headers } = typeof decision === "number" ? { status: decision, headers: {} } : decision;
      response.writeHead(status, headers).end("ok");
    });
  });
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}/push`,
    received,
    connections: () => connections,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
