import type { APIRequestContext } from "@playwright/test";
import { insertApiKey } from "@/lib/auth/key-credentials";
import { CmqClient, indexed } from "@/lib/cmq/client";
import type {
  PublishResult,
  RouteTestResult,
  Subscription,
  SubscriptionList,
  Topic,
  TopicList,
  TopicMessage,
} from "@/lib/schemas/topic";
import { basicAuth, expect, test, uniqueName } from "../fixtures";

// Topics over REST and the CMQ action API (issue 11): the journey, bad input that changes nothing,
// CMQ's parameters and codes, and who may do what (a readonly user, a policy on one topic, a key
// narrowed to publishing).

test.use({ checkedAgainstOpenApi: true });

/** An answer's JSON, typed as the shape the test expects (and the OpenAPI check holds it to). */
const json = async <T = { error?: { code?: string } }>(res: { json: () => Promise<unknown> }) =>
  (await res.json()) as T;

async function expectError(res: Awaited<ReturnType<APIRequestContext["get"]>>, status: number, code: string) {
  expect([res.status(), (await json(res)).error?.code]).toEqual([status, code]);
}

async function receiveBodies(api: APIRequestContext, queue: string) {
  const res = await api.post(`/api/v1/queues/${queue}/messages/receive`, { data: { max: 16, waitSeconds: 0 } });
  expect(res.status()).toBe(200);
  return (await json<{ messages: { body: string }[] }>(res)).messages.map((m) => m.body).sort();
}

test.describe("topics over REST", () => {
  test("routing topic: subscribe queues and an endpoint, test a route, publish, trace, re-deliver, delete", async ({
    api,
  }) => {
    const topic = uniqueName("orders");
    const [q1, q2] = [uniqueName("paid"), uniqueName("all")];
    const created = await api.post("/api/v1/topics", { data: { name: topic, filterType: "routing" } });
    expect(created.status()).toBe(201);
    expect(await json<Topic>(created)).toMatchObject({
      name: topic,
      filterType: "routing",
      maxMsgSize: 65_536,
      msgRetentionSeconds: 86_400,
      subscriptionCount: 0,
    });
    for (const q of [q1, q2]) expect((await api.post("/api/v1/queues", { data: { name: q } })).status()).toBe(201);
    const subscribe = (data: object) => api.post(`/api/v1/topics/${topic}/subscriptions`, { data });
    expect(
      (await subscribe({ name: "to-paid", protocol: "queue", endpoint: q1, bindingKeys: ["order.*"] })).status(),
    ).toBe(201);
    expect((await subscribe({ name: "to-all", protocol: "queue", endpoint: q2, bindingKeys: ["#"] })).status()).toBe(
      201,
    );
    const hook = await subscribe({
      name: "hook",
      protocol: "http",
      endpoint: "http://127.0.0.1:9/hook",
      bindingKeys: ["order.#"],
      notifyStrategy: "BACKOFF_RETRY",
    });
    expect(await json<Subscription>(hook)).toMatchObject({
      protocol: "http",
      notifyContentFormat: "JSON",
      endpointExists: true,
    });
    expect((await json<Topic>(await api.get(`/api/v1/topics/${topic}`))).subscriptionCount).toBe(3);

    const route = await json<RouteTestResult>(
      await api.post(`/api/v1/topics/${topic}/route-test`, { data: { routingKey: "invoice.eu" } }),
    );
    expect(route.matches.map((m) => [m.subscription, m.matched, m.matchedBy])).toEqual([
      ["to-paid", false, null],
      ["to-all", true, "#"],
      ["hook", false, null],
    ]);

    const published = await api.post(`/api/v1/topics/${topic}/messages`, {
      data: { messages: [{ body: "order 1 paid" }], routingKey: "order.paid" },
    });
    expect(published.status()).toBe(201);
    const result = await json<PublishResult>(published);
    expect(result.subscriptions.sort()).toEqual(["hook", "to-all", "to-paid"]);
    const id = result.messages[0]?.id ?? "";
    expect(await receiveBodies(api, q1)).toEqual(["order 1 paid"]);

    const timeline = await json<TopicMessage>(await api.get(`/api/v1/topics/${topic}/messages/${id}`));
    expect(timeline).toMatchObject({ id, body: "order 1 paid", routingKey: "order.paid", tags: [] });
    expect(timeline.deliveries.map((d) => [d.subscription, d.protocol, d.status]).sort()).toEqual([
      ["hook", "http", "pending"],
      ["to-all", "queue", "delivered"],
      ["to-paid", "queue", "delivered"],
    ]);
    const listed = await json<{ messages: TopicMessage[]; nextBefore: string | null }>(
      await api.get(`/api/v1/topics/${topic}/messages?limit=5`),
    );
    expect(listed.messages.map((m) => m.id)).toEqual([id]);
    expect(listed.nextBefore).toBeNull();

    const again = await api.post(`/api/v1/topics/${topic}/messages/${id}/redeliver`, {
      data: { subscription: "to-paid" },
    });
    expect(again.status()).toBe(202);
    expect((await json<TopicMessage>(again)).deliveries.filter((d) => d.subscription === "to-paid")).toHaveLength(2);
    expect(await receiveBodies(api, q1)).toEqual(["order 1 paid"]);

    const secret = await json<{ secret: string }>(await api.get(`/api/v1/topics/${topic}/subscriptions/hook/secret`));
    expect(Buffer.from(secret.secret, "base64url")).toHaveLength(32);
    await expectError(await api.get(`/api/v1/topics/${topic}/subscriptions/to-paid/secret`), 400, "INVALID_INPUT");

    const patched = await api.patch(`/api/v1/topics/${topic}/subscriptions/to-paid`, {
      data: { bindingKeys: ["order.paid", "order.refunded"] },
    });
    expect((await json<Subscription>(patched)).bindingKeys).toEqual(["order.paid", "order.refunded"]);
    await expectError(await api.delete(`/api/v1/topics/${topic}`), 409, "TOPIC_HAS_SUBSCRIPTIONS");
    for (const s of ["to-paid", "to-all", "hook"]) {
      expect((await api.delete(`/api/v1/topics/${topic}/subscriptions/${s}`)).status()).toBe(204);
    }
    expect((await api.delete(`/api/v1/topics/${topic}`)).status()).toBe(204);
    await expectError(await api.get(`/api/v1/topics/${topic}`), 404, "TOPIC_NOT_FOUND");
  });

  test("a deleted queue: its subscription says endpointExists false, its delivery 'failed'", async ({ api }) => {
    const topic = uniqueName("t");
    const queue = uniqueName("q");
    await api.post("/api/v1/topics", { data: { name: topic } });
    await api.post("/api/v1/queues", { data: { name: queue } });
    await api.post(`/api/v1/topics/${topic}/subscriptions`, {
      data: { name: "s", protocol: "queue", endpoint: queue },
    });
    expect((await api.delete(`/api/v1/queues/${queue}`)).status()).toBe(204);
    expect((await json<Subscription>(await api.get(`/api/v1/topics/${topic}/subscriptions/s`))).endpointExists).toBe(
      false,
    );
    const published = await json<PublishResult>(
      await api.post(`/api/v1/topics/${topic}/messages`, { data: { messages: [{ body: "lost" }] } }),
    );
    expect(published.subscriptions).toEqual([]);
    const timeline = await json<TopicMessage>(
      await api.get(`/api/v1/topics/${topic}/messages/${published.messages[0]?.id}`),
    );
    expect(timeline.deliveries).toMatchObject([{ subscription: "s", status: "failed", queueMessageId: null }]);
  });

  test("bad input gets 400/404/409/413 in the REST error format and changes nothing", async ({ api }) => {
    for (const data of [
      { name: 5 },
      { name: uniqueName("t"), filterType: "fanout" },
      { name: uniqueName("t"), maxMsgSize: 100 },
      { name: uniqueName("t"), maxMsgSize: 2_000_000 },
      { name: uniqueName("t"), extra: true },
      { name: "9starts-with-a-digit" },
    ]) {
      await expectError(await api.post("/api/v1/topics", { data }), 400, "INVALID_INPUT");
    }
    await expectError(
      await api.post("/api/v1/topics", {
        data: Buffer.from("{not json"),
        headers: { "content-type": "application/json" },
      }),
      400,
      "INVALID_JSON",
    );
    expect((await json<TopicList>(await api.get("/api/v1/topics"))).total).toBe(0);

    const topic = uniqueName("t");
    const queue = uniqueName("q");
    await api.post("/api/v1/topics", { data: { name: topic } });
    await api.post("/api/v1/queues", { data: { name: queue } });
    const sub = (data: object) => api.post(`/api/v1/topics/${topic}/subscriptions`, { data });
    await expectError(await sub({ name: "s", protocol: "smtp", endpoint: "x" }), 400, "INVALID_INPUT");
    await expectError(await sub({ name: "s", protocol: "http", endpoint: "http://a b/" }), 400, "ENDPOINT_HAS_BLANKS");
    await expectError(
      await sub({ name: "s", protocol: "http", endpoint: "file:///etc/passwd" }),
      400,
      "ENDPOINT_INVALID",
    );
    await expectError(
      await sub({ name: "s", protocol: "queue", endpoint: queue, filterTags: ["1", "2", "3", "4", "5", "6"] }),
      400,
      "INVALID_INPUT",
    );
    await expectError(
      await sub({ name: "s", protocol: "queue", endpoint: queue, filterTags: ["x".repeat(17)] }),
      400,
      "INVALID_INPUT",
    );
    await expectError(
      await sub({ name: "s", protocol: "queue", endpoint: queue, notifyContentFormat: "JSON" }),
      400,
      "QUEUE_SUBSCRIPTION_FORMAT",
    );
    await expectError(
      await sub({ name: "s", protocol: "queue", endpoint: uniqueName("nope") }),
      404,
      "QUEUE_NOT_FOUND",
    );
    expect((await json<SubscriptionList>(await api.get(`/api/v1/topics/${topic}/subscriptions`))).total).toBe(0);

    await expectError(
      await api.post(`/api/v1/topics/${topic}/messages`, { data: { messages: [{ body: "x" }] } }),
      409,
      "PUBLISH_NO_SUBSCRIPTION",
    );
    expect((await sub({ name: "s", protocol: "queue", endpoint: queue, filterTags: ["a"] })).status()).toBe(201);
    const publish = (data: object) => api.post(`/api/v1/topics/${topic}/messages`, { data });
    await expectError(await publish({ messages: [] }), 400, "BATCH_SIZE_INVALID");
    await expectError(await publish({ messages: Array(17).fill({ body: "x" }) }), 400, "BATCH_SIZE_INVALID");
    await expectError(
      await publish({ messages: [{ body: "x".repeat(65_537) }], tags: ["a"] }),
      413,
      "MESSAGE_TOO_LARGE",
    );
    await expectError(await publish({ messages: [{ body: "" }], tags: ["a"] }), 400, "MESSAGE_BODY_EMPTY");
    await expectError(await publish({ messages: [{ body: 1 }] }), 400, "INVALID_INPUT");
    await expectError(
      await publish({ messages: [{ body: "x" }], tags: ["a", "b", "c", "d", "e", "f"] }),
      400,
      "INVALID_INPUT",
    );
    await expectError(await publish({ messages: [{ body: "x" }], routingKey: "k".repeat(65) }), 400, "INVALID_INPUT");
    await expectError(await publish({ messages: [{ body: "x" }], tags: ["b"] }), 409, "PUBLISH_NO_MATCH");
    await expectError(await publish({ messages: [{ body: "x" }] }), 409, "PUBLISH_NO_MATCH");
    await expectError(await api.get(`/api/v1/topics/${topic}/messages?limit=0`), 400, "INVALID_INPUT");
    await expectError(await api.get(`/api/v1/topics/${topic}/messages?before=abc`), 400, "INVALID_INPUT");
    await expectError(
      await api.get(`/api/v1/topics/${topic}/messages?before=99999999999999999999`),
      400,
      "INVALID_INPUT",
    );
    await expectError(await api.get(`/api/v1/topics/${topic}/messages/abc`), 400, "INVALID_INPUT");
    await expectError(await api.get(`/api/v1/topics/${topic}/messages/123456789`), 404, "MESSAGE_NOT_FOUND");
    await expectError(
      await api.post(`/api/v1/topics/${topic}/messages/123/redeliver`, { data: { subscription: "nope" } }),
      404,
      "SUBSCRIPTION_NOT_FOUND",
    );
    await expectError(await api.get(`/api/v1/topics/${uniqueName("none")}`), 404, "TOPIC_NOT_FOUND");
    expect(
      (await json<{ messages: TopicMessage[] }>(await api.get(`/api/v1/topics/${topic}/messages`))).messages,
    ).toEqual([]);
    expect(await receiveBodies(api, queue)).toEqual([]);
  });
});

test.describe("topics over the CMQ action API", () => {
  test("Create/Get/Set/List/DeleteTopic, Subscribe…, Publish and BatchPublish with CMQ's parameters and codes", async ({
    cmq,
  }) => {
    const topic = uniqueName("cmq-t");
    const queue = uniqueName("cmq-q");
    await cmq.createQueue(queue);
    const created = await cmq.call("CreateTopic", { topicName: topic, filterType: 1, maxMsgSize: 4096 });
    expect(created.code).toBe(0);
    expect(created.topicId).toMatch(/^topic-[a-z0-9]{12}$/);
    const attrs = await cmq.call("GetTopicAttributes", { topicName: topic });
    expect(attrs).toMatchObject({ code: 0, msgCount: 0, maxMsgSize: 4096, msgRetentionSeconds: 86_400, filterType: 1 });
    for (const key of ["createTime", "lastModifyTime"]) expect(Number.isInteger(attrs[key])).toBe(true);
    expect((await cmq.call("SetTopicAttributes", { topicName: topic, maxMsgSize: 8192 })).code).toBe(0);
    expect((await cmq.call("GetTopicAttributes", { topicName: topic })).maxMsgSize).toBe(8192);
    expect(await cmq.call("ListTopic", { searchWord: topic })).toMatchObject({
      code: 0,
      totalCount: 1,
      topicList: [{ topicId: created.topicId, topicName: topic }],
    });
    const code = async (action: string, params: Record<string, string | number>) => {
      const r = await cmq.call(action, params);
      return `${r.code} ${/^\((\d+)\)/.exec(r.message)?.[1] ?? "-"}`;
    };
    expect(await code("ListTopic", { limit: 51 })).toBe("4000 10110");
    expect(await code("CreateTopic", { topicName: uniqueName("t"), filterType: 3 })).toBe("4000 10110");
    expect(await code("CreateTopic", { topicName: topic.toUpperCase() })).toBe("4460 10220");
    expect(await code("PublishMessage", { topicName: topic, msgBody: "x", routingKey: "" })).toBe("6030 10650");

    const subscribe = { topicName: topic, protocol: "queue", endpoint: queue, notifyContentFormat: "SIMPLIFIED" };
    const sub = await cmq.call("Subscribe", {
      ...subscribe,
      subscriptionName: "s",
      ...indexed("filterTag", ["a", "b"]),
    });
    expect(sub.code).toBe(0);
    expect(sub.subscriptionId).toMatch(/^subscription-[a-z0-9]{12}$/);
    expect(
      await code("Subscribe", {
        ...subscribe,
        subscriptionName: "s6",
        ...indexed("filterTag", ["1", "2", "3", "4", "5", "6"]),
      }),
    ).toBe("4000 10670");
    expect(await code("Subscribe", { ...subscribe, subscriptionName: "j", notifyContentFormat: "JSON" })).toBe(
      "4000 10640",
    );
    expect(await code("Subscribe", { ...subscribe, subscriptionName: "p", protocol: "smtp" })).toBe("4000 10110");
    expect(
      await code("Subscribe", { ...subscribe, subscriptionName: "h", protocol: "http", endpoint: "http://a b" }),
    ).toBe("4510 10570");
    expect(await code("Subscribe", { ...subscribe, subscriptionName: "S" })).toBe("4490 10470");
    expect(await cmq.call("GetSubscriptionAttributes", { topicName: topic, subscriptionName: "s" })).toMatchObject({
      code: 0,
      protocol: "queue",
      protocal: "queue",
      endpoint: queue,
      notifyStrategy: "EXPONENTIAL_DECAY_RETRY",
      notifyContentFormat: "SIMPLIFIED",
      filterTags: ["a", "b"],
      filterTag: ["a", "b"],
      bindingKey: [],
      msgCount: 0,
    });
    expect(await cmq.call("ListSubscriptionByTopic", { topicName: topic })).toMatchObject({
      code: 0,
      totalCount: 1,
      subscriptionList: [
        { subscriptionId: sub.subscriptionId, subscriptionName: "s", protocol: "queue", endpoint: queue },
      ],
    });

    const one = await cmq.call("PublishMessage", {
      topicName: topic,
      msgBody: "tagged",
      routingKey: "",
      ...indexed("msgTag", ["b"]),
    });
    expect(one.code).toBe(0);
    expect(typeof one.msgId).toBe("string");
    const batch = await cmq.call("BatchPublishMessage", {
      topicName: topic,
      routingKey: "",
      ...indexed("msgBody", ["b1", "b2", "b3"]),
      ...indexed("msgTag", ["a"], 0),
    });
    expect(batch.code).toBe(0);
    expect((batch.msgList as unknown[]).length).toBe(3);
    expect(await code("PublishMessage", { topicName: topic, msgBody: "untagged", routingKey: "" })).toBe("6030 10730");
    expect(
      await code("PublishMessage", {
        topicName: topic,
        msgBody: "x",
        ...indexed("msgTag", ["1", "2", "3", "4", "5", "6"]),
      }),
    ).toBe("4000 10720");
    expect(await code("PublishMessage", { topicName: topic, msgBody: "", ...indexed("msgTag", ["a"]) })).toBe(
      "4000 10120",
    );
    expect(await code("BatchPublishMessage", { topicName: topic, ...indexed("msgBody", Array(17).fill("x")) })).toBe(
      "4000 10370",
    );
    expect(await code("PublishMessage", { topicName: uniqueName("none"), msgBody: "x" })).toBe("4440 10600");
    const got = await cmq.batchReceiveMessage(queue, 16);
    expect(got.map((m) => m.msgBody).sort()).toEqual(["b1", "b2", "b3", "tagged"]);

    // The Java SDK's spelling of the action (matched case-insensitively).
    expect((await cmq.call("ClearSUbscriptionFIlterTags", { topicName: topic, subscriptionName: "s" })).code).toBe(0);
    expect(
      (await cmq.call("GetSubscriptionAttributes", { topicName: topic, subscriptionName: "s" })).filterTags,
    ).toEqual([]);
    expect(await code("DeleteTopic", { topicName: topic })).toBe("4000 10540");
    expect((await cmq.call("Unsubscribe", { topicName: topic, subscriptionName: "s" })).code).toBe(0);
    expect(await code("Unsubscribe", { topicName: topic, subscriptionName: "s" })).toBe("4440 10600");
    expect((await cmq.call("DeleteTopic", { topicName: topic })).code).toBe(0);
    expect(await code("GetTopicAttributes", { topicName: topic })).toBe("4440 10600");
  });

  test("routing topics: bindingKey required (10710), more than 5 refused (10680), * and # as documented", async ({
    cmq,
  }) => {
    const topic = uniqueName("route");
    const [q1, q2] = [uniqueName("q"), uniqueName("q")];
    await cmq.createQueue(q1);
    await cmq.createQueue(q2);
    expect((await cmq.call("CreateTopic", { topicName: topic, filterType: 2 })).code).toBe(0);
    const base = { topicName: topic, protocol: "queue", notifyContentFormat: "SIMPLIFIED" };
    const missing = await cmq.call("Subscribe", { ...base, subscriptionName: "none", endpoint: q1 });
    expect([missing.code, missing.message.slice(0, 7)]).toEqual([4000, "(10710)"]);
    const six = await cmq.call("Subscribe", {
      ...base,
      subscriptionName: "six",
      endpoint: q1,
      ...indexed("bindingKey", ["a", "b", "c", "d", "e", "f"]),
    });
    expect([six.code, six.message.slice(0, 7)]).toEqual([4000, "(10680)"]);
    expect(
      (
        await cmq.call("Subscribe", {
          ...base,
          subscriptionName: "star",
          endpoint: q1,
          ...indexed("bindingKey", ["1.*.0"]),
        })
      ).code,
    ).toBe(0);
    expect(
      (
        await cmq.call("Subscribe", {
          ...base,
          subscriptionName: "hash",
          endpoint: q2,
          ...indexed("bindingKey", ["1.#.0"]),
        })
      ).code,
    ).toBe(0);
    for (const [body, routingKey] of [
      ["x", "1.x.0"],
      ["long", "1.2.3.4.4.2.2.0"],
      ["zero", "1.0"],
    ]) {
      expect((await cmq.call("PublishMessage", { topicName: topic, msgBody: body, routingKey })).code).toBe(0);
    }
    const nothing = await cmq.call("PublishMessage", { topicName: topic, msgBody: "y", routingKey: "2.0" });
    expect([nothing.code, nothing.message.slice(0, 7)]).toEqual([6030, "(10730)"]);
    expect((await cmq.batchReceiveMessage(q1, 16)).map((m) => m.msgBody)).toEqual(["x"]);
    expect((await cmq.batchReceiveMessage(q2, 16)).map((m) => m.msgBody).sort()).toEqual(["long", "x", "zero"]);
  });
});

test.describe("who may do what with topics", () => {
  test("a readonly user reads; a policy on one topic hides the others; a key narrowed to publishing only publishes", async ({
    owner,
    api,
    playwright,
    baseURL,
  }) => {
    const [mine, other] = [uniqueName("mine"), uniqueName("other")];
    const queue = uniqueName("q");
    await api.post("/api/v1/queues", { data: { name: queue } });
    for (const t of [mine, other]) {
      expect((await api.post("/api/v1/topics", { data: { name: t } })).status()).toBe(201);
      await api.post(`/api/v1/topics/${t}/subscriptions`, { data: { name: "s", protocol: "queue", endpoint: queue } });
    }
    const makeUser = async (role: string, statements?: unknown[]) => {
      const user = await json<{ id: string }>(
        await api.post("/api/v1/users", { data: { email: `${uniqueName(role)}@e2e.test`, name: role, role } }),
      );
      if (statements) {
        expect((await api.put(`/api/v1/users/${user.id}/policy`, { data: { statements } })).status()).toBe(200);
      }
      return user.id;
    };
    const as = async (userId: string, permissions?: string[]) => {
      const key = await insertApiKey({ accountId: owner.accountId, userId, permissions });
      const rest = await playwright.request.newContext({
        baseURL,
        extraHTTPHeaders: { authorization: basicAuth(key.secretId, key.secretKey) },
      });
      const cmq = new CmqClient({ endpoint: String(baseURL), secretId: key.secretId, secretKey: key.secretKey });
      return { rest, cmq };
    };

    const readonly = await as(await makeUser("readonly"));
    expect((await readonly.rest.get(`/api/v1/topics/${mine}`)).status()).toBe(200);
    expect((await json<TopicList>(await readonly.rest.get("/api/v1/topics"))).total).toBe(2);
    await expectError(
      await readonly.rest.post(`/api/v1/topics/${mine}/messages`, { data: { messages: [{ body: "x" }] } }),
      403,
      "FORBIDDEN",
    );
    await expectError(
      await readonly.rest.post(`/api/v1/topics/${mine}/subscriptions`, {
        data: { name: "x", protocol: "http", endpoint: "http://example.com/" },
      }),
      403,
      "FORBIDDEN",
    );
    await expectError(await readonly.rest.get(`/api/v1/topics/${mine}/subscriptions/s/secret`), 403, "FORBIDDEN");
    const denied = await readonly.cmq.call("PublishMessage", { topicName: mine, msgBody: "x" });
    expect([denied.code, denied.message.slice(0, 7)]).toEqual([4000, "(10461)"]);

    const narrowed = await as(
      await makeUser("developer", [{ effect: "allow", actions: ["topic:*"], resources: [mine] }]),
    );
    expect((await json<TopicList>(await narrowed.rest.get("/api/v1/topics"))).topics.map((t) => t.name)).toEqual([
      mine,
    ]);
    await expectError(await narrowed.rest.get(`/api/v1/topics/${other}`), 404, "TOPIC_NOT_FOUND");
    await expectError(
      await narrowed.rest.post(`/api/v1/topics/${other}/messages`, { data: { messages: [{ body: "x" }] } }),
      404,
      "TOPIC_NOT_FOUND",
    );
    const hidden = await narrowed.cmq.call("GetTopicAttributes", { topicName: other });
    expect([hidden.code, hidden.message.slice(0, 7)]).toEqual([4440, "(10600)"]);
    expect(
      (
        await narrowed.rest.post(`/api/v1/topics/${mine}/messages`, { data: { messages: [{ body: "mine" }] } })
      ).status(),
    ).toBe(201);

    const publisher = await as(await makeUser("developer"), ["topic:PublishMessage"]);
    expect((await publisher.cmq.call("PublishMessage", { topicName: other, msgBody: "key" })).code).toBe(0);
    await expectError(await publisher.rest.get(`/api/v1/topics/${other}`), 403, "FORBIDDEN");
    await expectError(await publisher.rest.delete(`/api/v1/topics/${other}/subscriptions/s`), 403, "FORBIDDEN");
    expect((await json<Topic>(await api.get(`/api/v1/topics/${other}`))).subscriptionCount).toBe(1);
    expect(await receiveBodies(api, queue)).toEqual(["key", "mine"]);

    const audit = await json<{ events: { outcome: string }[] }>(
      await api.get("/api/v1/audit?action=subscription.create&limit=50"),
    );
    expect(audit.events.filter((e) => e.outcome === "denied")).toHaveLength(1);
    for (const c of [readonly, narrowed, publisher]) await c.rest.dispose();
  });
});
