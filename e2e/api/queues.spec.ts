import { attributeEdges } from "../attribute-edges";
import { basicAuth, expect, test, uniqueName } from "../fixtures";

test.describe("queues", () => {
  test.use({ checkedAgainstOpenApi: true });

  test("create with defaults, get, list with search and paging, update, delete", async ({ api }) => {
    const name = uniqueName("orders");
    const created = await api.post("/api/v1/queues", { data: { name } });
    expect(created.status()).toBe(201);
    const queue = await created.json();
    expect(queue).toMatchObject({
      name,
      visibilityTimeout: 30,
      pollingWaitSeconds: 0,
      maxMsgSize: 65536,
      msgRetentionSeconds: 345600,
      maxMsgHeapNum: 100000000,
      rewindSeconds: 0,
      deadLetter: null,
      counts: { visible: 0, inFlight: 0, delayed: 0, rewindable: 0, dead: 0 },
      oldestMessageAgeSeconds: null,
    });

    const got = await api.get(`/api/v1/queues/${name.toUpperCase()}`);
    expect(got.status()).toBe(200);
    expect((await got.json()).id).toBe(queue.id);

    const other = uniqueName("billing");
    expect((await api.post("/api/v1/queues", { data: { name: other } })).status()).toBe(201);
    const all = await (await api.get("/api/v1/queues")).json();
    expect(all.total).toBe(2);
    expect(all.queues.map((q: { name: string }) => q.name)).toEqual([other, name]);
    const searched = await (await api.get(`/api/v1/queues?search=${name.slice(0, 12).toUpperCase()}`)).json();
    expect(searched.queues.map((q: { name: string }) => q.name)).toEqual([name]);
    const page = await (await api.get("/api/v1/queues?offset=1&limit=1")).json();
    expect(page).toMatchObject({ total: 2, queues: [{ name }] });

    const patched = await api.patch(`/api/v1/queues/${name}`, {
      data: { visibilityTimeout: 120, pollingWaitSeconds: 30 },
    });
    expect(patched.status()).toBe(200);
    expect(await patched.json()).toMatchObject({ visibilityTimeout: 120, pollingWaitSeconds: 30, maxMsgSize: 65536 });

    const deleted = await api.delete(`/api/v1/queues/${name}`);
    expect(deleted.status()).toBe(204);
    const gone = await api.get(`/api/v1/queues/${name}`);
    expect(gone.status()).toBe(404);
    expect((await gone.json()).error.code).toBe("QUEUE_NOT_FOUND");
  });

  test("names are unique per account, ignoring case, and free across accounts", async ({
    api,
    playwright,
    baseURL,
  }) => {
    const name = uniqueName("dup");
    expect((await api.post("/api/v1/queues", { data: { name } })).status()).toBe(201);
    const again = await api.post("/api/v1/queues", { data: { name: name.toUpperCase() } });
    expect(again.status()).toBe(409);
    expect((await again.json()).error.code).toBe("QUEUE_EXISTS");
    expect((await (await api.get("/api/v1/queues")).json()).total).toBe(1);
    void playwright;
    void baseURL;
  });

  test("every attribute at its edges: accepted at the limit, 400 one past it, nothing created", async ({ api }) => {
    const edges = attributeEdges;
    let created = 0;
    for (const [field, ok, bad] of edges) {
      const good = await api.post("/api/v1/queues", { data: { name: uniqueName("edge"), [field]: ok } });
      expect(good.status(), `${field}=${ok}`).toBe(201);
      expect((await good.json())[field]).toBe(ok);
      created++;
      const rejected = await api.post("/api/v1/queues", { data: { name: uniqueName("edge"), [field]: bad } });
      expect(rejected.status(), `${field}=${bad}`).toBe(400);
      const body = await rejected.json();
      expect(body.error.code).toBe("INVALID_INPUT");
      expect(body.error.message).toContain(field);
    }
    expect((await (await api.get("/api/v1/queues?limit=100")).json()).total).toBe(created);
  });

  test("bad input on create and update gets 400 with a code, and changes nothing", async ({ api }) => {
    const name = uniqueName("bad");
    expect((await api.post("/api/v1/queues", { data: { name } })).status()).toBe(201);
    const cases: [string, unknown][] = [
      ["missing name", {}],
      ["name starts with a digit", { name: "1queue" }],
      ["name with a dot", { name: "a.b" }],
      ["name too long", { name: `a${"b".repeat(64)}` }],
      ["wrong type", { name: uniqueName("t"), visibilityTimeout: "30" }],
      ["fraction", { name: uniqueName("t"), visibilityTimeout: 1.5 }],
      ["unknown field", { name: uniqueName("t"), colour: "red" }],
      ["rewind past retention", { name: uniqueName("t"), msgRetentionSeconds: 60, rewindSeconds: 61 }],
      ["dead letter without a policy", { name: uniqueName("t"), deadLetter: { queue: "x" } }],
      ["not an object", [1, 2]],
    ];
    for (const [label, data] of cases) {
      const res = await api.post("/api/v1/queues", { data });
      expect(res.status(), label).toBe(400);
      expect((await res.json()).error.code, label).toBe("INVALID_INPUT");
    }
    const invalidJson = await api.post("/api/v1/queues", {
      data: Buffer.from("{not json"),
      headers: { "content-type": "application/json" },
    });
    expect(invalidJson.status()).toBe(400);
    expect((await invalidJson.json()).error.code).toBe("INVALID_JSON");

    for (const data of [{ visibilityTimeout: 0 }, { name: "renamed" }, { maxMsgSize: "big" }]) {
      const res = await api.patch(`/api/v1/queues/${name}`, { data });
      expect(res.status()).toBe(400);
    }
    const list = await (await api.get("/api/v1/queues")).json();
    expect(list.total).toBe(1);
    expect(list.queues[0]).toMatchObject({ name, visibilityTimeout: 30 });

    expect(
      (await api.patch(`/api/v1/queues/${uniqueName("missing")}`, { data: { visibilityTimeout: 5 } })).status(),
    ).toBe(404);
    expect((await api.delete(`/api/v1/queues/${uniqueName("missing")}`)).status()).toBe(404);
    const badQuery = await api.get("/api/v1/queues?limit=0");
    expect(badQuery.status()).toBe(400);
    expect((await api.get("/api/v1/queues?limit=101")).status()).toBe(400);
  });

  test("credentials: none, wrong secret, unknown key, malformed header — 401 and nothing created", async ({
    anonymous,
    api,
    owner,
  }) => {
    const name = uniqueName("auth");
    const attempts: Record<string, string>[] = [
      {},
      { authorization: basicAuth(owner.secretId, "wrong-secret") },
      { authorization: basicAuth("AKIDdoesnotexist000000000000000000", owner.secretKey) },
      { authorization: "Bearer abc" },
      { authorization: "Basic !!!" },
    ];
    for (const headers of attempts) {
      const res = await anonymous.post("/api/v1/queues", { data: { name }, headers });
      expect(res.status()).toBe(401);
      expect((await res.json()).error.code).toBe("UNAUTHORIZED");
      expect(res.headers()["www-authenticate"]).toContain("Basic");
    }
    expect((await anonymous.get("/api/v1/queues")).status()).toBe(401);
    expect((await (await api.get("/api/v1/queues")).json()).total).toBe(0);
  });

  test("another account's queue is not found, whatever the operation", async ({ api, playwright, baseURL }) => {
    const name = uniqueName("private");
    expect((await api.post("/api/v1/queues", { data: { name } })).status()).toBe(201);
    const { createAccountWithOwner } = await import("@/lib/services/accounts");
    const stranger = await createAccountWithOwner({
      accountName: uniqueName("acct"),
      email: `${uniqueName("s")}@e2e.test`,
    });
    const other = await playwright.request.newContext({
      baseURL,
      extraHTTPHeaders: { authorization: basicAuth(stranger.secretId, stranger.secretKey) },
    });
    expect((await other.get(`/api/v1/queues/${name}`)).status()).toBe(404);
    expect((await other.patch(`/api/v1/queues/${name}`, { data: { visibilityTimeout: 5 } })).status()).toBe(404);
    expect((await other.delete(`/api/v1/queues/${name}`)).status()).toBe(404);
    expect(
      (await other.post(`/api/v1/queues/${name}/messages`, { data: { messages: [{ body: "x" }] } })).status(),
    ).toBe(404);
    expect((await (await other.get("/api/v1/queues")).json()).total).toBe(0);
    expect((await (await api.get(`/api/v1/queues/${name}`)).json()).visibilityTimeout).toBe(30);
    await other.dispose();
  });
});
