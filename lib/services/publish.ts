import type { Principal } from "@/lib/auth/principal";
import { AppError } from "@/lib/errors";
import { countMetric } from "@/lib/metrics/record";
import { wakePushWorker } from "@/lib/push/wake";
import { maxBatchBytes } from "@/lib/schemas/message";
import {
  type PublishInput,
  type PublishResult,
  type RouteTestInput,
  type RouteTestResult,
  topicLimits,
} from "@/lib/schemas/topic";
import {
  type PublishSubscriptionRow,
  selectPublishTargets,
  selectPublishTargetsCoalesced,
  writePublishCoalesced,
} from "@/lib/store/publish";
import { explainMatch, matchingSubscriptions, routingKeyProblem } from "@/lib/topics/matching";
import { authorize } from "./authorize";
import { announcePush, announceSend } from "./cross-process-wake";
import { wakeReceivers } from "./long-poll";
import { authorizeTopic, filterTypeOf, topicNotFound } from "./topic-lookup";

// Publishing (reference/cmq-api.md §4): match the subscriptions, then write the whole fan-out in one
// transaction (lib/store/publish.ts) — queue subscriptions get their message rows there, HTTP ones a
// push_delivery row each for the push worker. After the commit, the queues' long-poll waiters are
// woken (here and in other processes, as a send does) and the push worker is told.
//
// A queue subscription's queue keeps its own rules. A body larger than that queue's maxMsgSize, or a
// queue at its maxMsgHeapNum, refuses the whole publish (MESSAGE_TOO_LARGE / QUEUE_FULL, naming the
// subscription): an acknowledged publish is in every matching queue, so a publish that cannot be is
// not acknowledged. A subscription whose queue was deleted no longer holds the publish back: its
// delivery is recorded as failed (NumOfFailNotify) and the others go ahead.

const utf8Length = (s: string) => Buffer.byteLength(s, "utf8");

/** Foreign-key failures (a queue or subscription deleted meanwhile) retried with a fresh read. */
const ATTEMPTS = 3;

export async function publishMessages(
  principal: Principal,
  { topicName, messages, tags = [], routingKey }: PublishInput & { topicName: string },
): Promise<PublishResult> {
  if (messages.length < 1 || messages.length > topicLimits.batch) {
    throw new AppError("BATCH_SIZE_INVALID", `Publish 1 to ${topicLimits.batch} messages per request.`);
  }
  authorize(principal, "topic:PublishMessage");
  if (routingKey !== undefined) {
    const problem = routingKeyProblem(routingKey, "routing key");
    if (problem) throw new AppError("INVALID_INPUT", `Invalid routing key '${routingKey}': ${problem}.`);
  }
  for (let attempt = 1; ; attempt++) {
    const targets = await selectPublishTargetsCoalesced(principal.accountId, topicName);
    if (!targets) throw topicNotFound(topicName);
    const { topic, subscriptions } = targets;
    authorizeTopic(principal, "topic:PublishMessage", topic.name);
    const bodies = messages.map((m) => m.body);
    checkBodies(bodies, topic.max_msg_size);
    if (subscriptions.length === 0) {
      throw new AppError("PUBLISH_NO_SUBSCRIPTION", `Topic "${topic.name}" has no subscription to deliver to.`);
    }
    const filterType = filterTypeOf(topic.filter_type);
    const matched = matchingSubscriptions(filterType, toMatchable(subscriptions), {
      tags,
      routingKey: routingKey ?? null,
    });
    if (matched.length === 0) {
      throw new AppError(
        "PUBLISH_NO_MATCH",
        filterType === "tag"
          ? `No subscription of topic "${topic.name}" has a filter tag among the message's tags.`
          : `No binding key of topic "${topic.name}" matches routing key '${routingKey ?? ""}'.`,
      );
    }
    const queues = matched.filter((s) => s.protocol === "queue" && s.queue_id !== null);
    const gone = matched.filter((s) => s.protocol === "queue" && s.queue_id === null);
    const http = matched.filter((s) => s.protocol === "http");
    checkQueueLimits(queues, bodies);
    let written: Awaited<ReturnType<typeof writePublishCoalesced>>;
    try {
      written = await writePublishCoalesced({
        topicId: topic.id,
        bodies,
        tags,
        routingKey: routingKey ?? null,
        queues: queues.map((s) => ({ subscriptionId: s.id, queueId: s.queue_id as string })),
        failedQueueSubscriptionIds: gone.map((s) => s.id),
        pushSubscriptionIds: http.map((s) => s.id),
      });
    } catch (error) {
      // 23503: a queue or subscription read above was deleted before the write; nothing was written.
      if ((error as { code?: unknown }).code === "23503" && attempt < ATTEMPTS) continue;
      throw error;
    }
    const n = bodies.length;
    countMetric("topic", BigInt(topic.id), "NumOfMsgPublished", n);
    for (const s of queues) {
      countMetric("subscription", BigInt(s.id), "NumOfNotify", n);
      countMetric("subscription", BigInt(s.id), "NumOfSuccNotify", n);
      wakeReceivers(s.queue_id as string, n);
      announceSend(s.queue_id as string, n);
    }
    for (const s of gone) {
      countMetric("subscription", BigInt(s.id), "NumOfNotify", n);
      countMetric("subscription", BigInt(s.id), "NumOfFailNotify", n);
    }
    if (http.length > 0) {
      wakePushWorker(); // this process's worker
      announcePush(); // and every other process's
    }
    return {
      messages: written.topicMessageIds.map((id) => ({ id })),
      subscriptions: [...queues, ...http].map((s) => s.name),
    };
  }
}

/** The routing tester: every subscription of the topic, whether a publish like this reaches it, and why. */
export async function testRoute(
  principal: Principal,
  { topicName, tags = [], routingKey }: RouteTestInput & { topicName: string },
): Promise<RouteTestResult> {
  authorize(principal, "topic:GetTopicAttributes");
  if (routingKey !== undefined) {
    const problem = routingKeyProblem(routingKey, "routing key");
    if (problem) throw new AppError("INVALID_INPUT", `Invalid routing key '${routingKey}': ${problem}.`);
  }
  const targets = await selectPublishTargets(principal.accountId, topicName);
  if (!targets) throw topicNotFound(topicName);
  authorizeTopic(principal, "topic:GetTopicAttributes", targets.topic.name);
  const filterType = filterTypeOf(targets.topic.filter_type);
  return {
    matches: toMatchable(targets.subscriptions).map((s) => ({
      subscription: s.name,
      protocol: s.protocol,
      endpoint: s.endpoint,
      ...explainMatch(filterType, s, { tags, routingKey: routingKey ?? null }),
    })),
  };
}

const toMatchable = (rows: PublishSubscriptionRow[]) =>
  rows.map((s) => ({ ...s, filterTags: s.filter_tags, bindingKeys: s.binding_keys }));

function checkBodies(bodies: string[], maxMsgSize: number) {
  let total = 0;
  bodies.forEach((body, i) => {
    const size = utf8Length(body);
    if (size === 0) throw new AppError("MESSAGE_BODY_EMPTY", `Message ${i + 1} has an empty body.`);
    if (size > maxMsgSize) {
      throw new AppError(
        "MESSAGE_TOO_LARGE",
        `Message ${i + 1} is ${size} bytes; the topic accepts at most ${maxMsgSize} (maxMsgSize).`,
      );
    }
    total += size;
  });
  if (total > maxBatchBytes) {
    throw new AppError(
      "BATCH_TOO_LARGE",
      `The messages total ${total} bytes; one request carries at most ${maxBatchBytes}.`,
    );
  }
}

/** A subscribed queue's own limits, as a send into it would meet them (see the comment at the top). */
function checkQueueLimits(queues: PublishSubscriptionRow[], bodies: string[]) {
  const largest = Math.max(...bodies.map(utf8Length));
  for (const s of queues) {
    if (s.queue_max_msg_size !== null && largest > s.queue_max_msg_size) {
      throw new AppError(
        "MESSAGE_TOO_LARGE",
        `A message is ${largest} bytes; subscription "${s.name}" delivers to queue "${s.endpoint}", which accepts at most ${s.queue_max_msg_size} (its maxMsgSize). Nothing was published.`,
      );
    }
    if (
      s.queue_swept_total !== null &&
      s.queue_max_msg_heap_num !== null &&
      s.queue_swept_total + bodies.length > s.queue_max_msg_heap_num
    ) {
      throw new AppError(
        "QUEUE_FULL",
        `Subscription "${s.name}" delivers to queue "${s.endpoint}", which holds ${s.queue_swept_total} messages, its limit (maxMsgHeapNum) is ${s.queue_max_msg_heap_num}. Nothing was published.`,
      );
    }
  }
}
