import type { APIRequest, APIRequestContext } from "@playwright/test";
import { expect, test, uniqueName } from "../fixtures";
import { sessionCookie, signIn } from "../session";

// Console sessions end with what should end them: a password change, a sign-out, a role change,
// disabling the user. Before the fix an old cookie kept reading and writing for up to 12 h.

// Each sign-in and password change runs scrypt, slow on a busy host.
test.describe.configure({ timeout: 180_000 });

/** A second holder of the same cookie (e.g. stolen or left in another browser). */
async function copyOf(request: APIRequest, baseURL: string, context: APIRequestContext) {
  const cookie = await sessionCookie(context);
  return request.newContext({
    baseURL,
    extraHTTPHeaders: { cookie: `${cookie?.name}=${cookie?.value}`, origin: baseURL },
  });
}

async function expectEnded(context: APIRequestContext) {
  const me = await context.get("/api/v1/me");
  expect(me.status()).toBe(401);
  expect((await me.json()).error.code).toBe("UNAUTHORIZED");
  const write = await context.post("/api/v1/queues", { data: { name: uniqueName("after") } });
  expect(write.status()).toBe(401);
  // Pages treat it as signed out: the console sends it to the login page.
  const page = await context.get("/account", { maxRedirects: 0 });
  expect(page.status()).toBe(307);
  expect(page.headers().location).toMatch(/\/login/);
}

async function makeUser(api: APIRequestContext, role: string) {
  const password = `pw-${uniqueName("p")}`;
  const res = await api.post("/api/v1/users", {
    data: { email: `${uniqueName(role)}@e2e.test`, name: role, role, password },
  });
  expect(res.status()).toBe(201);
  return { ...((await res.json()) as { id: string; email: string }), password };
}

test("a cookie copied before a password change stops reading and writing", async ({ api, playwright, baseURL }) => {
  const base = String(baseURL);
  const user = await makeUser(api, "developer");
  const { context } = await signIn(playwright.request, base, user.email, user.password);
  const copy = await copyOf(playwright.request, base, context);
  expect((await copy.get("/api/v1/me")).status()).toBe(200);

  const newPassword = `new-${uniqueName("p")}`;
  const changed = await context.post("/api/v1/me/password", {
    data: { currentPassword: user.password, newPassword },
  });
  expect(changed.status()).toBe(204);
  await expectEnded(copy);
  await expectEnded(context);
  const again = await signIn(playwright.request, base, user.email, newPassword);
  expect(again.isSignedIn).toBe(true);
  expect((await again.context.get("/api/v1/me")).status()).toBe(200);
  await Promise.all([context.dispose(), copy.dispose(), again.context.dispose()]);
});

test("a cookie copied before sign-out stops working, as do the user's other sessions", async ({
  api,
  playwright,
  baseURL,
}) => {
  const base = String(baseURL);
  const user = await makeUser(api, "developer");
  const { context } = await signIn(playwright.request, base, user.email, user.password);
  const other = await signIn(playwright.request, base, user.email, user.password);
  const copy = await copyOf(playwright.request, base, context);
  expect((await copy.get("/api/v1/me")).status()).toBe(200);

  const { csrfToken } = await (await context.get("/api/auth/csrf")).json();
  const out = await context.post("/api/auth/signout", { form: { csrfToken, json: "true" }, maxRedirects: 0 });
  expect(out.status()).toBe(200);
  await expectEnded(copy);
  await expectEnded(other.context);
  await Promise.all([context.dispose(), copy.dispose(), other.context.dispose()]);
});

test("a role change ends the user's sessions", async ({ api, playwright, baseURL }) => {
  const base = String(baseURL);
  const user = await makeUser(api, "developer");
  const { context } = await signIn(playwright.request, base, user.email, user.password);
  expect((await context.get("/api/v1/me")).status()).toBe(200);
  expect((await api.patch(`/api/v1/users/${user.id}`, { data: { role: "readonly" } })).status()).toBe(200);
  await expectEnded(context);
  const again = await signIn(playwright.request, base, user.email, user.password);
  expect((await (await again.context.get("/api/v1/me")).json()).user.role).toBe("readonly");
  await Promise.all([context.dispose(), again.context.dispose()]);
});

test("disabling ends the user's sessions, and enabling again does not revive them", async ({
  api,
  playwright,
  baseURL,
}) => {
  const base = String(baseURL);
  const user = await makeUser(api, "developer");
  const { context } = await signIn(playwright.request, base, user.email, user.password);
  expect((await context.get("/api/v1/me")).status()).toBe(200);
  expect((await api.patch(`/api/v1/users/${user.id}`, { data: { isDisabled: true } })).status()).toBe(200);
  expect((await api.patch(`/api/v1/users/${user.id}`, { data: { isDisabled: false } })).status()).toBe(200);
  await expectEnded(context);
  const again = await signIn(playwright.request, base, user.email, user.password);
  expect((await again.context.get("/api/v1/me")).status()).toBe(200);
  await Promise.all([context.dispose(), again.context.dispose()]);
});
