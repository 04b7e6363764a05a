import { insertApiKey } from "@/lib/auth/key-credentials";
import { CmqClient } from "@/lib/cmq/client";
import { basicAuth, expect, test, uniqueName } from "../fixtures";

// DESIGN.md §4.8: a name is a name, never a pattern. Each lookup by name is exact (ignoring case),
// and authorization is decided on the queue actually found. Before the fix `_` and `%` were LIKE
// wildcards: GET/PATCH/DELETE of "zz_bcq" reached "zzabcq", "%" deleted an arbitrary queue, a
// trailing "\" answered 500, and a developer denied "orders-secret" could read, change and delete it
// as "orders_secret".

const restNotFound = async (res: { status(): number; json(): Promise<{ error: { code: string } }> }) => {
  expect(res.status()).toBe(404);
  expect((await res.json()).error.code).toBe("QUEUE_NOT_FOUND");
};

test("REST: `_`, `%` and a trailing `\\` in a queue name match nothing but that name", async ({ api }) => {
  const target = "zzabcq";
  expect((await api.post("/api/v1/queues", { data: { name: target, visibilityTimeout: 30 } })).status()).toBe(201);

  for (const name of ["zz_bcq", "zz%25", "%25", "zzabc_", "zzabcq%5C", "%5C", "zz%25q"]) {
    await restNotFound(await api.get(`/api/v1/queues/${name}`));
    await restNotFound(await api.patch(`/api/v1/queues/${name}`, { data: { visibilityTimeout: 99 } }));
    await restNotFound(await api.delete(`/api/v1/queues/${name}`));
  }
  const kept = await api.get(`/api/v1/queues/${target}`);
  expect(kept.status()).toBe(200);
  expect(await kept.json()).toMatchObject({ name: target, visibilityTimeout: 30 });

  // The exact name still works whatever its case, and a real `_` is a plain character.
  expect((await api.get("/api/v1/queues/ZZABCQ")).status()).toBe(200);
  expect((await api.post("/api/v1/queues", { data: { name: "zz_bcq" } })).status()).toBe(201);
  expect((await (await api.get("/api/v1/queues/zz_bcq")).json()).name).toBe("zz_bcq");
  expect((await api.delete("/api/v1/queues/zz_bcq")).status()).toBe(204);
  expect((await api.get(`/api/v1/queues/${target}`)).status()).toBe(200);
});

test("CMQ: GetQueueAttributes, SetQueueAttributes and DeleteQueue of `zz_bcq` do not touch `zzabcq`", async ({
  cmq,
}) => {
  expect((await cmq.createQueue("zzabcq", { visibilityTimeout: 30 })).code).toBe(0);
  for (const action of ["GetQueueAttributes", "SetQueueAttributes", "DeleteQueue"]) {
    const res = await cmq.call(action, { queueName: "zz_bcq", visibilityTimeout: 99 });
    expect(res.code, action).toBe(4440);
    expect(res.message, action).toMatch(/^\(10100\)/);
  }
  // Names CMQ refuses outright (`%`, `\`) are refused, not matched.
  for (const queueName of ["%", "zzabc%", "zzabcq\\"]) {
    const res = await cmq.call("DeleteQueue", { queueName });
    expect(res.code, queueName).toBe(4000);
    expect(res.message, queueName).toMatch(/^\(10020\)/);
  }
  const kept = await cmq.call("GetQueueAttributes", { queueName: "zzabcq" });
  expect(kept).toMatchObject({ code: 0, visibilityTimeout: 30 });
});

test("a developer denied orders-secret cannot read, change or delete it under another spelling", async ({
  owner,
  api,
  playwright,
  baseURL,
}) => {
  for (const name of ["orders-secret", "teamXsecret", "orders-open"])
    expect((await api.post("/api/v1/queues", { data: { name, visibilityTimeout: 30 } })).status()).toBe(201);

  const makeDeveloper = async (statements: unknown[]) => {
    const res = await api.post("/api/v1/users", {
      data: { email: `${uniqueName("dev")}@e2e.test`, name: "dev", role: "developer" },
    });
    expect(res.status()).toBe(201);
    const user = (await res.json()) as { id: string };
    expect((await api.put(`/api/v1/users/${user.id}/policy`, { data: { statements } })).status()).toBe(200);
    const key = await insertApiKey({ accountId: owner.accountId, userId: user.id });
    const rest = await playwright.request.newContext({
      baseURL: String(baseURL),
      extraHTTPHeaders: { authorization: basicAuth(key.secretId, key.secretKey) },
    });
    const cmq = new CmqClient({ endpoint: String(baseURL), secretId: key.secretId, secretKey: key.secretKey });
    return { rest, cmq };
  };
  // Deny policy: everything but orders-secret.
  const denied = await makeDeveloper([
    { effect: "deny", actions: ["queue:*", "message:*"], resources: ["orders-secret"] },
  ]);
  // Allow policy: only team_* (a literal underscore) — "team_secret" must not reach "teamXsecret".
  const allowed = await makeDeveloper([{ effect: "allow", actions: ["queue:*"], resources: ["team_*"] }]);

  const attempts: [typeof denied, string][] = [
    [denied, "orders_secret"],
    [denied, "orders-secre_"],
    [denied, "ORDERS-SECRET"],
    [allowed, "team_secret"],
    [allowed, "teamXsecret"],
  ];
  for (const [who, name] of attempts) {
    await restNotFound(await who.rest.get(`/api/v1/queues/${name}`));
    await restNotFound(await who.rest.patch(`/api/v1/queues/${name}`, { data: { visibilityTimeout: 99 } }));
    await restNotFound(await who.rest.delete(`/api/v1/queues/${name}`));
    for (const action of ["GetQueueAttributes", "SetQueueAttributes", "DeleteQueue"]) {
      const res = await who.cmq.call(action, { queueName: name, visibilityTimeout: 99 });
      expect(res.code, `${action} ${name}`).toBe(4440);
    }
  }
  // What the deny policy leaves is still there for that developer.
  expect((await denied.rest.get("/api/v1/queues/orders-open")).status()).toBe(200);
  for (const name of ["orders-secret", "teamXsecret"]) {
    expect(await (await api.get(`/api/v1/queues/${name}`)).json()).toMatchObject({ name, visibilityTimeout: 30 });
  }
  await Promise.all([denied.rest.dispose(), allowed.rest.dispose()]);
});
