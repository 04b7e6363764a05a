import { indexed } from "@/lib/cmq/client";
import { expect, test, uniqueName } from "../fixtures";
import { buildGoCheck, lines, runGoCheck } from "../sdk/sdks";

// Tencent's official Go SDK (../shared/sdks/cmq-go-sdk, unmodified) publishing with tdmq.Topic:
// Publish and BatchPublish (the SDK's only topic calls; it numbers msgBody and msgTag from 0 and
// always sends routingKey). The topics and their queue subscriptions are made here through the CMQ
// API; what arrived is read from the queues afterwards.
const transcript = [
  "Publish (tag go): code=0 module=- msgId=ok",
  "BatchPublish (tag go): code=0 module=- ids=2",
  "Publish without tags: code=6030 module=10730",
  "Publish (routing key go.eu): code=0 module=-",
  "BatchPublish (routing key go.eu): code=0 module=-",
  "BatchPublish (routing key stop.eu): code=6030 module=10730",
  "Publish (empty routing key): code=6030 module=10730",
  "done",
];

test("Tencent's Go SDK: Topic.Publish and BatchPublish to tag and routing topics", async ({ owner, baseURL, cmq }) => {
  test.setTimeout(300_000);
  const binary = await buildGoCheck();
  const [tagTopic, routingTopic, tagQueue, routingQueue] = ["go-tags", "go-route", "go-q1", "go-q2"].map(uniqueName);
  await cmq.createQueue(tagQueue ?? "");
  await cmq.createQueue(routingQueue ?? "");
  const simplified = { protocol: "queue", notifyContentFormat: "SIMPLIFIED", subscriptionName: "s" };
  for (const [action, params] of [
    ["CreateTopic", { topicName: tagTopic, filterType: 1 }],
    ["CreateTopic", { topicName: routingTopic, filterType: 2 }],
    ["Subscribe", { ...simplified, topicName: tagTopic, endpoint: tagQueue, ...indexed("filterTag", ["go"]) }],
    [
      "Subscribe",
      { ...simplified, topicName: routingTopic, endpoint: routingQueue, ...indexed("bindingKey", ["go.*"]) },
    ],
  ] as const) {
    expect((await cmq.call(action, params as Record<string, string | number>)).code, action).toBe(0);
  }
  const result = await runGoCheck(
    binary,
    { endpoint: String(baseURL), secretId: owner.secretId, secretKey: owner.secretKey },
    uniqueName("unused"),
    uniqueName("missing"),
    { CMQ_TAG_TOPIC: tagTopic ?? "", CMQ_ROUTING_TOPIC: routingTopic ?? "" },
  );
  expect(result.stderr).toBe("");
  expect(lines(result.stdout)).toEqual(transcript);
  expect(result.code).toBe(0);
  const bodies = async (queue: string) => (await cmq.batchReceiveMessage(queue, 16)).map((m) => m.msgBody).sort();
  expect(await bodies(tagQueue ?? "")).toEqual(["@go b2", "go b1", "go tagged"]);
  expect(await bodies(routingQueue ?? "")).toEqual(["go routed", "go routed b1", "go routed b2"]);
});
