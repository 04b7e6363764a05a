import { randomInt } from "node:crypto";
import { CmqClient, type CmqResponse, indexed } from "@/lib/cmq/client";
import { expect, type Owner, test, uniqueName } from "../fixtures";

// The Java and PHP SDKs' topic requests, mirrored through the TypeScript client (they publish no
// license, so they are not run here): exactly the parameters they send and the fields they read, as
// their sources have them (Java: tencentyun/cmq-java-sdk branch main, Topic.java, Subscription.java,
// Account.java; PHP: tencentyun/cmq-php-sdk, topic.php, subscription.php).

const javaInt = (value: unknown) => Number.isInteger(value) && Math.abs(value as number) < 2 ** 31;

function expectJavaReadable(response: Record<string, unknown>, getters: { getInt?: string[]; getString?: string[] }) {
  for (const key of getters.getInt ?? []) expect(javaInt(response[key]), `getInt("${key}")`).toBe(true);
  for (const key of getters.getString ?? []) expect(typeof response[key], `getString("${key}")`).toBe("string");
}

const java = (owner: Owner, baseURL: string) => {
  const client = new CmqClient({
    endpoint: baseURL,
    secretId: owner.secretId,
    secretKey: owner.secretKey,
    requestClient: "SDK_JAVA_1.3",
    contentType: "*/*;charset=utf-8",
  });
  return async (action: string, params: Record<string, string | number>) => {
    const response = await client.call(action, { ...params, Nonce: randomInt(0, 2 ** 31 - 1) });
    expectJavaReadable(response, { getInt: ["code"], getString: ["message", "requestId"] });
    return response;
  };
};

test("Java SDK's topic calls: createTopic, getTopicAttributes (getInt ×6), createSubscribe, publish, lists, ClearSUbscriptionFIlterTags", async ({
  owner,
  baseURL,
}) => {
  const call = java(owner, String(baseURL));
  const topic = uniqueName("java-t");
  const queue = uniqueName("java-q");
  expect((await call("CreateQueue", { queueName: queue })).code).toBe(0);
  // Account.createTopic(name, maxMsgSize, filterType): all three always sent.
  expect((await call("CreateTopic", { topicName: topic, filterType: "1", maxMsgSize: "65536" })).code).toBe(0);
  const attrs = await call("GetTopicAttributes", { topicName: topic });
  expectJavaReadable(attrs, {
    getInt: ["msgCount", "maxMsgSize", "msgRetentionSeconds", "createTime", "lastModifyTime", "filterType"],
  });
  expect((await call("SetTopicAttributes", { topicName: topic, maxMsgSize: "2048" })).code).toBe(0);
  const topics = await call("ListTopic", { searchWord: topic, offset: "0", limit: "10" });
  expectJavaReadable(topics, { getInt: ["totalCount"] });
  expectJavaReadable((topics.topicList as CmqResponse[])[0] ?? {}, { getString: ["topicName"] });

  // Account.createSubscribe(…, NotifyStrategy, NotifyContentFormat) with filterTag.1…
  const subscribed = await call("Subscribe", {
    topicName: topic,
    subscriptionName: "java-sub",
    endpoint: queue,
    protocol: "queue",
    notifyStrategy: "BACKOFF_RETRY",
    notifyContentFormat: "SIMPLIFIED",
    ...indexed("filterTag", ["x", "y"]),
  });
  expect(subscribed.code).toBe(0);
  const sub = await call("GetSubscriptionAttributes", { topicName: topic, subscriptionName: "java-sub" });
  expectJavaReadable(sub, {
    getString: ["endpoint", "notifyStrategy", "notifyContentFormat", "protocol"],
    getInt: ["createTime", "lastModifyTime", "msgCount"],
  });
  expect(sub).toMatchObject({ filterTag: ["x", "y"], bindingKey: [] });
  const subs = await call("ListSubscriptionByTopic", { topicName: topic, offset: "0", limit: "10" });
  expectJavaReadable(subs, { getInt: ["totalCount"] });
  expect((subs.subscriptionList as CmqResponse[]).map((s) => s.subscriptionName)).toEqual(["java-sub"]);

  // Topic.publishMessage(msg, vTagList, routingKey): routingKey only when not null; msgTag from 1.
  const one = await call("PublishMessage", { topicName: topic, msgBody: "java one", ...indexed("msgTag", ["y"]) });
  expectJavaReadable(one, { getString: ["msgId"] });
  const batch = await call("BatchPublishMessage", {
    topicName: topic,
    routingKey: "",
    ...indexed("msgBody", ["j1", "@j2"]),
    ...indexed("msgTag", ["x"]),
  });
  for (const m of batch.msgList as CmqResponse[]) expectJavaReadable(m, { getString: ["msgId"] });
  // Subscription.clearFilterTags() sends this spelling.
  expect((await call("ClearSUbscriptionFIlterTags", { topicName: topic, subscriptionName: "java-sub" })).code).toBe(0);
  expect(
    (await call("GetSubscriptionAttributes", { topicName: topic, subscriptionName: "java-sub" })).filterTag,
  ).toEqual([]);
  const received = await call("BatchReceiveMessage", { queueName: queue, numOfMsg: 16 });
  expect((received.msgInfoList as CmqResponse[]).map((m) => m.msgBody).sort()).toEqual(["@j2", "j1", "java one"]);
  expect((await call("Unsubscribe", { topicName: topic, subscriptionName: "java-sub" })).code).toBe(0);
  expect((await call("DeleteTopic", { topicName: topic })).code).toBe(0);
});

test("PHP SDK's topic calls: bindindKey.n (its spelling) on a routing topic, read back as bindindKey; small Nonces; @ bodies", async ({
  owner,
  baseURL,
}) => {
  const php = new CmqClient({
    endpoint: String(baseURL),
    secretId: owner.secretId,
    secretKey: owner.secretKey,
    requestClient: "SDK_PHP_1.3",
    omitAtValues: true,
  });
  const call = (action: string, params: Record<string, string | number>) =>
    php.call(action, { ...params, Nonce: randomInt(1, 65536) });
  const topic = uniqueName("php-t");
  const queue = uniqueName("php-q");
  expect((await call("CreateQueue", { queueName: queue })).code).toBe(0);
  // topic.php create: topicName, filterType, maxMsgSize when set.
  expect((await call("CreateTopic", { topicName: topic, filterType: 2 })).code).toBe(0);
  // subscription.php create: notifyStrategy and notifyContentFormat always, bindindKey.n.
  const subscribed = await call("Subscribe", {
    topicName: topic,
    subscriptionName: "php-sub",
    notifyStrategy: "EXPONENTIAL_DECAY_RETRY",
    notifyContentFormat: "SIMPLIFIED",
    endpoint: queue,
    protocol: "queue",
    ...indexed("bindindKey", ["php.*"]),
  });
  expect(subscribed.code).toBe(0);
  const sub = await call("GetSubscriptionAttributes", { topicName: topic, subscriptionName: "php-sub" });
  expect(sub).toMatchObject({ code: 0, bindindKey: ["php.*"], bindingKey: ["php.*"], filterTag: [] });
  // set_attributes also sends endpoint and protocol back (not changeable; ignored).
  const changed = await call("SetSubscriptionAttributes", {
    topicName: topic,
    subscriptionName: "php-sub",
    notifyStrategy: "BACKOFF_RETRY",
    notifyContentFormat: "SIMPLIFIED",
    endpoint: queue,
    protocol: "queue",
    ...indexed("bindindKey", ["php.#"]),
  });
  expect(changed.code).toBe(0);
  expect(
    (await call("GetSubscriptionAttributes", { topicName: topic, subscriptionName: "php-sub" })).bindindKey,
  ).toEqual(["php.#"]);
  expect((await call("PublishMessage", { topicName: topic, msgBody: "@php routed", routingKey: "php.a.b" })).code).toBe(
    0,
  );
  const batch = await call("BatchPublishMessage", {
    topicName: topic,
    routingKey: "php",
    ...indexed("msgBody", ["p1"]),
  });
  expect((batch.msgList as CmqResponse[]).map((m) => typeof m.msgId)).toEqual(["string"]);
  const received = await call("BatchReceiveMessage", { queueName: queue, numOfMsg: 16, pollingWaitSeconds: 1 });
  expect((received.msgInfoList as CmqResponse[]).map((m) => m.msgBody).sort()).toEqual(["@php routed", "p1"]);
});
