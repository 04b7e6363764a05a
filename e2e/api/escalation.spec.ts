import { insertApiKey } from "@/lib/auth/key-credentials";
import { getPrisma } from "@/lib/db/prisma";
import { basicAuth, expect, test, uniqueName } from "../fixtures";
import { signIn } from "../session";

// DESIGN.md §4.9: nobody grants more than they hold — directly or through a new user or key;
// owner-held things are the owner's alone; a key disabled from above stays disabled for its user.

// Each sign-in and password change runs scrypt, slow on a busy host.
test.describe.configure({ timeout: 180_000 });

type Api = Awaited<ReturnType<typeof newApi>>;
const newApi = async (
  playwright: { request: { newContext(o: object): Promise<import("@playwright/test").APIRequestContext> } },
  baseURL: string,
  key: { secretId: string; secretKey: string },
) =>
  playwright.request.newContext({
    baseURL,
    extraHTTPHeaders: { authorization: basicAuth(key.secretId, key.secretKey) },
  });

const expectForbidden = async (
  res: { status(): number; json(): Promise<{ error: { code: string; message: string } }> },
  message?: RegExp,
) => {
  expect(res.status()).toBe(403);
  const { error } = await res.json();
  expect(error.code).toBe("FORBIDDEN");
  if (message) expect(error.message).toMatch(message);
};

async function makeUser(api: Api, role: string, password?: string) {
  const res = await api.post("/api/v1/users", {
    data: { email: `${uniqueName(role)}@e2e.test`, name: role, role, ...(password ? { password } : {}) },
  });
  expect(res.status()).toBe(201);
  return (await res.json()) as { id: string; email: string; statements: unknown[] };
}

test("a key narrowed to SendMessage cannot mint a key with more than it holds", async ({
  owner,
  api,
  playwright,
  baseURL,
}) => {
  const developer = await makeUser(api, "developer");
  const narrowed = await insertApiKey({
    accountId: owner.accountId,
    userId: developer.id,
    permissions: ["queue:SendMessage", "apikey:own"],
  });
  const asNarrowed = await newApi(playwright, String(baseURL), narrowed);
  const before = await getPrisma().apiKey.count({ where: { userId: developer.id } });

  // An empty list would mean "all of the user's permissions".
  await expectForbidden(await asNarrowed.post("/api/v1/keys", { data: { permissions: [] } }), /queue:DeleteQueue/);
  await expectForbidden(
    await asNarrowed.post("/api/v1/keys", { data: { permissions: ["queue:*"] } }),
    /queue:CreateQueue/,
  );
  await expectForbidden(
    await asNarrowed.post("/api/v1/keys", {
      data: { permissions: ["queue:SendMessage", "apikey:own", "queue:ReceiveMessage"] },
    }),
  );
  expect(await getPrisma().apiKey.count({ where: { userId: developer.id } })).toBe(before);
  // Each refusal is in the audit log, attributed to the key that tried.
  const refused = await (await api.get("/api/v1/audit?action=apikey.create&outcome=denied")).json();
  expect(refused.events.map((e: { actorLabel: string }) => e.actorLabel)).toEqual(Array(3).fill(narrowed.secretId));

  // As narrow or narrower is fine.
  const ok = await asNarrowed.post("/api/v1/keys", { data: { permissions: ["queue:SendMessage"] } });
  expect(ok.status()).toBe(201);
  expect((await ok.json()).permissions).toEqual(["queue:SendMessage"]);
  await asNarrowed.dispose();
});

test("an admin limited to orders-* cannot create or shape a user outside that policy and use it", async ({
  owner,
  api,
  playwright,
  baseURL,
}) => {
  const base = String(baseURL);
  for (const name of ["orders-eu", "billing-eu"])
    expect((await api.post("/api/v1/queues", { data: { name } })).status()).toBe(201);
  const admin = await makeUser(api, "admin");
  const ordersOnly = [{ effect: "allow", actions: ["queue:*", "message:*"], resources: ["orders-*"] }];
  expect((await api.put(`/api/v1/users/${admin.id}/policy`, { data: { statements: ordersOnly } })).status()).toBe(200);
  const asAdmin = await newApi(playwright, base, await insertApiKey({ accountId: owner.accountId, userId: admin.id }));

  // The new user starts inside the admin's policy …
  const password = `pw-${uniqueName("p")}`;
  const created = await makeUser(asAdmin, "developer", password);
  expect(created.statements).toEqual(ordersOnly);
  // … and signing in as it reaches nothing beyond it.
  const { context: asCreated, isSignedIn } = await signIn(playwright.request, base, created.email, password);
  expect(isSignedIn).toBe(true);
  expect((await asCreated.get("/api/v1/queues/billing-eu")).status()).toBe(404);
  const listed = await (await asCreated.get("/api/v1/queues")).json();
  expect(listed.queues.map((q: { name: string }) => q.name)).toEqual(["orders-eu"]);

  // The admin cannot widen it: no policy (everything), a wider one, or a policy for a stranger's user.
  const policyOf = (statements: unknown[]) =>
    asAdmin.put(`/api/v1/users/${created.id}/policy`, { data: { statements } });
  await expectForbidden(await policyOf([]), /queue:DeleteQueue on \*/);
  await expectForbidden(await policyOf([{ effect: "allow", actions: ["queue:*"], resources: ["*"] }]));
  await expectForbidden(
    await policyOf([{ effect: "allow", actions: ["queue:*"], resources: ["billing-*"] }]),
    /billing-\*/,
  );
  const refused = await (await api.get("/api/v1/audit?action=user.policy&outcome=denied")).json();
  expect(refused.events).toHaveLength(3);
  // Narrower is fine.
  const narrower = [{ effect: "allow", actions: ["queue:GetQueueAttributes"], resources: ["orders-eu"] }];
  expect((await policyOf(narrower)).status()).toBe(200);

  // A user the owner made without a policy holds more than the admin: the admin may not re-enable it.
  const unrestricted = await makeUser(api, "developer");
  expect((await asAdmin.patch(`/api/v1/users/${unrestricted.id}`, { data: { isDisabled: true } })).status()).toBe(200);
  await expectForbidden(await asAdmin.patch(`/api/v1/users/${unrestricted.id}`, { data: { isDisabled: false } }));
  expect((await getPrisma().user.findUniqueOrThrow({ where: { id: unrestricted.id } })).isDisabled).toBe(true);
  await Promise.all([asAdmin.dispose(), asCreated.dispose()]);
});

test("an admin cannot disable or delete the owner's keys", async ({ owner, api, playwright, baseURL }) => {
  const admin = await makeUser(api, "admin");
  const asAdmin = await newApi(
    playwright,
    String(baseURL),
    await insertApiKey({ accountId: owner.accountId, userId: admin.id }),
  );
  const keys = (await (await asAdmin.get("/api/v1/keys")).json()).keys as { id: string; secretId: string }[];
  const ownerKey = keys.find((k) => k.secretId === owner.secretId);
  expect(ownerKey).toBeDefined();
  await expectForbidden(await asAdmin.patch(`/api/v1/keys/${ownerKey?.id}`, { data: { isDisabled: true } }), /owner/);
  await expectForbidden(await asAdmin.delete(`/api/v1/keys/${ownerKey?.id}`), /owner/);
  expect((await api.get("/api/v1/queues")).status()).toBe(200);
  expect(await getPrisma().apiKey.findUniqueOrThrow({ where: { secretId: owner.secretId } })).toMatchObject({
    isDisabled: false,
  });
  await asAdmin.dispose();
});

test("a developer cannot re-enable a key an admin disabled", async ({ owner, api, playwright, baseURL }) => {
  const base = String(baseURL);
  const admin = await makeUser(api, "admin");
  const developer = await makeUser(api, "developer");
  const asAdmin = await newApi(playwright, base, await insertApiKey({ accountId: owner.accountId, userId: admin.id }));
  const target = await insertApiKey({ accountId: owner.accountId, userId: developer.id });
  const asDeveloper = await newApi(
    playwright,
    base,
    await insertApiKey({ accountId: owner.accountId, userId: developer.id }),
  );

  expect((await asAdmin.patch(`/api/v1/keys/${target.id}`, { data: { isDisabled: true } })).status()).toBe(200);
  await expectForbidden(
    await asDeveloper.patch(`/api/v1/keys/${target.id}`, { data: { isDisabled: false } }),
    /disabled by an admin/,
  );
  // Disabling it again does not lower who disabled it.
  expect((await asDeveloper.patch(`/api/v1/keys/${target.id}`, { data: { isDisabled: true } })).status()).toBe(200);
  await expectForbidden(await asDeveloper.patch(`/api/v1/keys/${target.id}`, { data: { isDisabled: false } }));
  const asTarget = await newApi(playwright, base, target);
  expect((await asTarget.get("/api/v1/queues")).status()).toBe(401);

  // A key its user disabled, the user may enable; the admin may enable the admin-disabled one.
  const own = await insertApiKey({ accountId: owner.accountId, userId: developer.id });
  expect((await asDeveloper.patch(`/api/v1/keys/${own.id}`, { data: { isDisabled: true } })).status()).toBe(200);
  expect((await asDeveloper.patch(`/api/v1/keys/${own.id}`, { data: { isDisabled: false } })).status()).toBe(200);
  expect((await asAdmin.patch(`/api/v1/keys/${target.id}`, { data: { isDisabled: false } })).status()).toBe(200);
  expect((await asTarget.get("/api/v1/queues")).status()).toBe(200);
  await Promise.all([asAdmin.dispose(), asDeveloper.dispose(), asTarget.dispose()]);
});
