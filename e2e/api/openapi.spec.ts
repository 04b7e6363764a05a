import { expect, test, uniqueName } from "../fixtures";
import { fetchOpenApiDocument, responseProblems } from "../openapi-check";

// The document against the running app. lib/api/openapi.test.ts holds it to the route files; here
// every described operation must answer (a route that exists, not 404 or 405), and its answer must
// be what the document describes (the `api` client checks each response).

test.describe("the OpenAPI document", () => {
  test.use({ checkedAgainstOpenApi: true });

  test("every described operation answers, as described", async ({ api, anonymous }) => {
    const doc = await fetchOpenApiDocument(anonymous);
    const queue = uniqueName("described");
    expect((await api.post("/api/v1/queues", { data: { name: queue } })).status()).toBe(201);
    const user = await api.post("/api/v1/users", {
      data: { email: `${uniqueName("described")}@e2e.test`, name: "Described", role: "developer" },
    });
    expect(user.status()).toBe(201);
    const key = await api.post("/api/v1/keys", { data: { description: "described" } });
    expect(key.status()).toBe(201);
    // An operation to describe (a purge of the still empty queue), and a live message.
    const operation = await api.post(`/api/v1/queues/${queue}/purge`, { data: { dryRun: false } });
    expect(operation.status()).toBe(200);
    const sent = await api.post(`/api/v1/queues/${queue}/messages`, { data: { messages: [{ body: "described" }] } });
    expect(sent.status()).toBe(201);
    // An alarm rule with a webhook (so it has a signing secret to show).
    const alarm = await api.post("/api/v1/alarms", {
      data: {
        name: uniqueName("described"),
        kind: "backlogTotal",
        scope: { type: "queue", queue },
        threshold: 1000,
        webhookUrl: "http://127.0.0.1:9/described",
      },
    });
    expect(alarm.status()).toBe(201);
    // A path parameter is an existing resource of the collection named just before it.
    const existing: Record<string, string> = {
      alarms: (await alarm.json()).id,
      queues: queue,
      users: (await user.json()).id,
      keys: (await key.json()).id,
      operations: (await operation.json()).operation.id,
      messages: (await sent.json()).messages[0].id,
    };
    // A topic with an HTTP subscription (no queue is touched) and one retained message.
    const topic = uniqueName("described");
    expect((await api.post("/api/v1/topics", { data: { name: topic } })).status()).toBe(201);
    const subscribed = await api.post(`/api/v1/topics/${topic}/subscriptions`, {
      data: { name: "described", protocol: "http", endpoint: "http://127.0.0.1:9/described" },
    });
    expect(subscribed.status()).toBe(201);
    const published = await api.post(`/api/v1/topics/${topic}/messages`, {
      data: { messages: [{ body: "described" }] },
    });
    expect(published.status()).toBe(201);
    const underTopic: Record<string, string> = {
      topics: topic,
      subscriptions: "described",
      messages: (await published.json()).messages[0].id,
    };
    const fill = (path: string) =>
      path.replace(/\/([^/]+)\/\{[^}]+\}/g, (_, collection: string) => {
        const id = (path.startsWith("/topics/") ? underTopic : existing)[collection];
        if (!id) throw new Error(`no resource to put in ${path}: add one for "${collection}"`);
        return `/${collection}/${encodeURIComponent(id)}`;
      });

    const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((key) => key !== "parameters")
        .map((method) => ({
          path,
          method: method.toUpperCase(),
          hasBody: !!(item[method] as { requestBody?: object }).requestBody,
        })),
    );
    // The message's own operations first (it is still there), then its delete, then the bulk
    // operations (they would have taken it), then the other deletes, the queue's after its children's.
    const rank = ({ method, path }: { method: string; path: string }) =>
      method === "DELETE" && path.endsWith("/messages/{id}")
        ? 1
        : /\/(purge|redrive|move)$/.test(path)
          ? 2
          : method === "DELETE"
            ? 3
            : 0;
    operations.sort((a, b) => rank(a) - rank(b) || (a.method === "DELETE" ? b.path.length - a.path.length : 0));
    expect(operations.length).toBeGreaterThan(15);
    const answered: string[] = [];
    for (const { path, method, hasBody } of operations) {
      // An empty object: a valid request where nothing is required, else 400 — either way, the route answers.
      const response = await api.fetch(`/api/v1${fill(path)}`, { method, data: hasBody ? {} : undefined });
      expect([404, 405], `${method} ${path} → ${response.status()}`).not.toContain(response.status());
      answered.push(`${method} ${path}`);
    }
    expect(answered).toHaveLength(operations.length);
  });

  test("the checker refuses what the document does not describe", async ({ api, anonymous }) => {
    const doc = await fetchOpenApiDocument(anonymous);
    const list = { method: "GET", url: "/api/v1/queues" };
    const body = (value: unknown) => Buffer.from(JSON.stringify(value));
    // The journeys' client applies it: an answer outside the document fails the request.
    await expect(api.get("/api/v1/nothing/here")).rejects.toThrow("is not as /api/v1/openapi.json describes");
    expect(responseProblems(doc, list, { status: 200, body: body({ queues: [], total: 0 }) })).toEqual([]);
    expect(responseProblems(doc, list, { status: 200, body: body({ queues: [], total: 0, extra: 1 }) })).not.toEqual(
      [],
    );
    expect(responseProblems(doc, list, { status: 200, body: body({ queues: [{ name: "q" }], total: 1 }) })).not.toEqual(
      [],
    );
    expect(responseProblems(doc, list, { status: 418, body: body({}) })).toEqual([
      "status 418 is not among 200, 400, 401, 404",
    ]);
    expect(responseProblems(doc, { method: "GET", url: "/api/v1/nothing" }, { status: 404, body: body({}) })).toEqual([
      "the document describes no such operation",
    ]);
    const error = { status: 404, body: body({ error: { code: "QUEUE_NOT_FOUND", message: "m" } }) };
    expect(responseProblems(doc, { method: "GET", url: "/api/v1/queues/q" }, error)).toEqual([]);
    const wrongCode = { status: 404, body: body({ error: { code: "NO_SUCH_CODE", message: "m" } }) };
    expect(responseProblems(doc, { method: "GET", url: "/api/v1/queues/q" }, wrongCode)).not.toEqual([]);
  });
});

// Outside the document on purpose, so `api` here is the plain client.
test.describe("around the document", () => {
  test("unknown endpoints and methods answer in the REST error format; health and the document answer", async ({
    api,
    anonymous,
  }) => {
    const res = await api.get("/api/v1/nothing/here");
    expect(res.status()).toBe(404);
    expect((await res.json()).error.code).toBe("NOT_FOUND");
    const wrongMethod = await api.put("/api/v1/queues", { data: {} });
    expect(wrongMethod.status()).toBe(405);
    expect(wrongMethod.headers().allow).toBe("GET, POST");
    expect((await wrongMethod.json()).error.code).toBe("METHOD_NOT_ALLOWED");
    expect((await api.delete("/api/v1/queues/x/messages/receive")).status()).toBe(405);
    expect((await anonymous.get("/api/health")).status()).toBe(200);
    const doc = await (await anonymous.get("/api/v1/openapi.json")).json();
    expect(doc.openapi).toBe("3.1.0");
    expect(
      doc.paths["/queues"].post.requestBody.content["application/json"].schema.properties.visibilityTimeout,
    ).toMatchObject({ minimum: 1, maximum: 43200 });
  });
});
