import { insertApiKey } from "@/lib/auth/key-credentials";
import { CmqClient } from "@/lib/cmq/client";
import { getPrisma } from "@/lib/db/prisma";
import { createAccountWithOwner } from "@/lib/services/accounts";
import { basicAuth, expect, test, uniqueName } from "../fixtures";

// Roles × actions × resources, through both APIs. Each cell: allowed, denied (REST 403 FORBIDDEN /
// CMQ 4000 (10461)), not found (REST 404 QUEUE_NOT_FOUND / CMQ 4440), or unauthenticated (401 / 4100).

type Outcome = "ok" | "denied" | "notfound" | "unauth";
type Op = "get" | "send" | "receive" | "peek" | "set" | "create";
const ops: Op[] = ["get", "send", "receive", "peek", "set", "create"];

const restExpect: Record<Outcome, [number, string | null]> = {
  ok: [200, null],
  denied: [403, "FORBIDDEN"],
  notfound: [404, "QUEUE_NOT_FOUND"],
  unauth: [401, "UNAUTHORIZED"],
};
const cmqExpect: Record<Outcome, number[]> = { ok: [0, 7000], denied: [4000], notfound: [4440], unauth: [4100] };

test("every role, policy and key state gets exactly its outcome on every action, through REST and CMQ", async ({
  owner,
  playwright,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const prisma = getPrisma();
  const base = String(baseURL);
  const ownerApi = await playwright.request.newContext({
    baseURL: base,
    extraHTTPHeaders: { authorization: basicAuth(owner.secretId, owner.secretKey) },
  });
  for (const name of ["orders-a", "billing-a"])
    expect((await ownerApi.post("/api/v1/queues", { data: { name } })).status()).toBe(201);

  const makeUser = async (role: string, statements?: unknown[]) => {
    const res = await ownerApi.post("/api/v1/users", {
      data: { email: `${uniqueName(role)}@e2e.test`, name: role, role },
    });
    expect(res.status()).toBe(201);
    const user = await res.json();
    if (statements)
      expect((await ownerApi.put(`/api/v1/users/${user.id}/policy`, { data: { statements } })).status()).toBe(200);
    return user as { id: string };
  };
  const keyFor = async (userId: string, permissions?: string[]) =>
    insertApiKey({ accountId: owner.accountId, userId, permissions });

  const admin = await makeUser("admin");
  const developer = await makeUser("developer");
  const readonly = await makeUser("readonly");
  const ordersDev = await makeUser("developer", [
    { effect: "allow", actions: ["queue:*", "message:peek"], resources: ["orders-*"] },
  ]);
  const noBilling = await makeUser("developer", [
    { effect: "deny", actions: ["queue:SendMessage"], resources: ["billing-*"] },
  ]);
  const disabledUser = await makeUser("developer");
  const disabledUserKey = await keyFor(disabledUser.id);
  expect((await ownerApi.patch(`/api/v1/users/${disabledUser.id}`, { data: { isDisabled: true } })).status()).toBe(200);
  const disabledKey = await keyFor(developer.id);
  await prisma.apiKey.update({ where: { id: disabledKey.id }, data: { isDisabled: true } });
  const stranger = await createAccountWithOwner({ accountName: uniqueName("x"), email: `${uniqueName("x")}@e2e.test` });

  const ownerKey = { secretId: owner.secretId, secretKey: owner.secretKey };
  const principals: Record<
    string,
    { key: { secretId: string; secretKey: string }; expect: (op: Op, queue: string) => Outcome }
  > = {
    owner: { key: ownerKey, expect: () => "ok" },
    admin: { key: await keyFor(admin.id), expect: () => "ok" },
    developer: { key: await keyFor(developer.id), expect: () => "ok" },
    readonly: { key: await keyFor(readonly.id), expect: (op) => (op === "get" || op === "peek" ? "ok" : "denied") },
    "developer limited to orders-*": {
      key: await keyFor(ordersDev.id),
      expect: (op, q) => (q.startsWith("orders") ? "ok" : op === "create" ? "denied" : "notfound"),
    },
    "developer denied send on billing-*": {
      key: await keyFor(noBilling.id),
      expect: (op, q) => (op === "send" && q.startsWith("billing") ? "denied" : "ok"),
    },
    "key narrowed to queue:SendMessage": {
      key: await keyFor(developer.id, ["queue:SendMessage"]),
      expect: (op) => (op === "send" ? "ok" : "denied"),
    },
    "disabled user": { key: disabledUserKey, expect: () => "unauth" },
    "disabled key": { key: disabledKey, expect: () => "unauth" },
    "another account": {
      key: { secretId: stranger.secretId, secretKey: stranger.secretKey },
      expect: (op) => (op === "create" ? "ok" : "notfound"),
    },
  };

  const failures: string[] = [];
  for (const [who, p] of Object.entries(principals)) {
    const rest = await playwright.request.newContext({
      baseURL: base,
      extraHTTPHeaders: { authorization: basicAuth(p.key.secretId, p.key.secretKey) },
    });
    const cmq = new CmqClient({ endpoint: base, ...p.key });
    for (const queue of ["orders-a", "billing-a"]) {
      for (const op of ops) {
        const expected = p.expect(op, queue);
        const target = op === "create" ? `${queue.split("-")[0]}-${uniqueName("n")}` : queue;
        const restRes = await restCall(rest, op, target);
        const [status, code] = restExpect[expected];
        const restOk =
          restRes.status === (op === "create" && expected === "ok" ? 201 : status) &&
          (code === null || restRes.code === code);
        if (!restOk)
          failures.push(`REST ${who} ${op} ${target}: expected ${expected}, got ${restRes.status} ${restRes.code}`);
        const cmqTarget = op === "create" ? `${queue.split("-")[0]}-${uniqueName("c")}` : queue;
        const cmqRes = await cmqCall(cmq, op, cmqTarget);
        if (!cmqExpect[expected].includes(cmqRes.code))
          failures.push(`CMQ ${who} ${op} ${cmqTarget}: expected ${expected}, got ${cmqRes.code} ${cmqRes.message}`);
      }
    }
    await rest.dispose();
  }
  expect(failures).toEqual([]);

  // Lists show only what the caller may see.
  const limited = await playwright.request.newContext({
    baseURL: base,
    extraHTTPHeaders: {
      authorization: basicAuth(
        principals["developer limited to orders-*"]?.key.secretId ?? "",
        principals["developer limited to orders-*"]?.key.secretKey ?? "",
      ),
    },
  });
  const names = (await (await limited.get("/api/v1/queues?limit=100")).json()).queues.map(
    (q: { name: string }) => q.name,
  );
  expect(names.length).toBeGreaterThan(0);
  expect(names.every((n: string) => n.startsWith("orders-"))).toBe(true);
  const cmqLimited = new CmqClient({
    endpoint: base,
    ...(principals["developer limited to orders-*"]?.key ?? ownerKey),
  });
  const cmqNames = (await cmqLimited.listQueue({ limit: 50 })).queueList.map((q) => q.queueName);
  expect(cmqNames.sort()).toEqual(names.sort());
  const readonlyList = await playwright.request.newContext({
    baseURL: base,
    extraHTTPHeaders: {
      authorization: basicAuth(principals.readonly?.key.secretId ?? "", principals.readonly?.key.secretKey ?? ""),
    },
  });
  const all = (await (await readonlyList.get("/api/v1/queues?limit=100")).json()).total;
  expect(all).toBe((await (await ownerApi.get("/api/v1/queues?limit=100")).json()).total);

  // Denied changes are audited; the readonly user's attempt to set attributes is there.
  const audit = await (await ownerApi.get("/api/v1/audit?outcome=denied&limit=200")).json();
  expect(
    audit.events.some(
      (e: { action: string; actorLabel: string }) =>
        e.action === "queue.update" && e.actorLabel === principals.readonly?.key.secretId,
    ),
  ).toBe(true);
  await Promise.all([ownerApi.dispose(), limited.dispose(), readonlyList.dispose()]);
});

async function restCall(rest: import("@playwright/test").APIRequestContext, op: Op, queue: string) {
  const url = `/api/v1/queues/${queue}`;
  const res =
    op === "get"
      ? await rest.get(url)
      : op === "send"
        ? await rest.post(`${url}/messages`, { data: { messages: [{ body: "x" }] } })
        : op === "receive"
          ? await rest.post(`${url}/messages/receive`, { data: { waitSeconds: 0 } })
          : op === "peek"
            ? await rest.get(`${url}/messages`)
            : op === "set"
              ? await rest.patch(url, { data: { visibilityTimeout: 30 } })
              : await rest.post("/api/v1/queues", { data: { name: queue } });
  const status = res.status() === 201 && op === "send" ? 200 : res.status();
  const body = await res.json().catch(() => ({}));
  return { status, code: body?.error?.code as string | undefined };
}

function cmqCall(cmq: CmqClient, op: Op, queue: string) {
  switch (op) {
    case "get":
      return cmq.call("GetQueueAttributes", { queueName: queue });
    case "send":
      return cmq.call("SendMessage", { queueName: queue, msgBody: "x" });
    case "receive":
      return cmq.call("ReceiveMessage", { queueName: queue, pollingWaitSeconds: 0 });
    case "peek":
      // The CMQ API has no peek; reading attributes stands in for a read.
      return cmq.call("GetQueueAttributes", { queueName: queue });
    case "set":
      return cmq.call("SetQueueAttributes", { queueName: queue, visibilityTimeout: 30 });
    case "create":
      return cmq.call("CreateQueue", { queueName: queue });
  }
}
