import { readFileSync } from "node:fs";
import { basicAuth, expect, test, uniqueName } from "../fixtures";
import { sessionCookie, signIn } from "../session";

test.describe("sessions and secrets", () => {
  test("the session cookie is HttpOnly, SameSite=Lax and scoped to /", async ({ owner, playwright, baseURL }) => {
    const { context, isSignedIn } = await signIn(playwright.request, String(baseURL), owner.email, owner.password);
    expect(isSignedIn).toBe(true);
    const cookie = await sessionCookie(context);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });
    const me = await (await context.get("/api/v1/me")).json();
    expect(me).toMatchObject({ user: { email: owner.email, role: "owner" }, via: "session" });
    await context.dispose();
  });

  test("state-changing console requests need the console's own origin (CSRF)", async ({
    owner,
    playwright,
    baseURL,
  }) => {
    const base = String(baseURL);
    const { context } = await signIn(playwright.request, base, owner.email, owner.password);
    const cookie = await sessionCookie(context);
    const bare = await playwright.request.newContext({ baseURL: base });
    const cookieHeader = `${cookie?.name}=${cookie?.value}`;
    const name = uniqueName("csrf");
    for (const origin of [undefined, "https://evil.example", "null"]) {
      const res = await bare.post("/api/v1/queues", {
        data: { name },
        headers: { cookie: cookieHeader, ...(origin ? { origin } : {}) },
      });
      expect(res.status(), String(origin)).toBe(403);
      expect((await res.json()).error.code).toBe("FORBIDDEN");
    }
    // Reads need no origin; nothing was created.
    const list = await bare.get("/api/v1/queues", { headers: { cookie: cookieHeader } });
    expect((await list.json()).total).toBe(0);
    const ok = await bare.post("/api/v1/queues", { data: { name }, headers: { cookie: cookieHeader, origin: base } });
    expect(ok.status()).toBe(201);
    await Promise.all([context.dispose(), bare.dispose()]);
  });

  test("repeated wrong passwords lock the login for a while, and every attempt is audited", async ({
    owner,
    api,
    playwright,
    baseURL,
  }) => {
    const base = String(baseURL);
    for (let i = 0; i < 5; i++) {
      const attempt = await signIn(playwright.request, base, owner.email, "wrong password!");
      expect(attempt.isSignedIn).toBe(false);
      await attempt.context.dispose();
    }
    const locked = await signIn(playwright.request, base, owner.email, owner.password);
    expect(locked.isSignedIn).toBe(false);
    await locked.context.dispose();
    const audit = await (await api.get("/api/v1/audit?action=session.login&limit=50")).json();
    const outcomes = audit.events.map(
      (e: { outcome: string; details: { reason?: string } }) => `${e.outcome}:${e.details.reason ?? ""}`,
    );
    expect(outcomes).toEqual([
      "failure:locked after repeated failures",
      ...Array.from({ length: 5 }, () => "failure:wrong password"),
    ]);
  });

  test("password hashes and SecretKeys never leave the server after creation, nor reach logs or the audit log", async ({
    owner,
    api,
    anonymous,
    baseURL,
    playwright,
  }) => {
    const created = await api.post("/api/v1/keys", { data: { description: "leak check", permissions: ["queue:*"] } });
    expect(created.status()).toBe(201);
    const key = await created.json();
    expect(key.secretId).toMatch(/^AKID[A-Za-z0-9]{32}$/);
    expect(key.secretKey).toMatch(/^[A-Za-z0-9]{32}$/);

    const user = await (
      await api.post("/api/v1/users", { data: { email: `${uniqueName("u")}@e2e.test`, name: "U", role: "developer" } })
    ).json();
    expect(user.password).toMatch(/.{12,}/);

    // Use the new key, well and badly, so it passes through every code path that might log it.
    const withKey = await playwright.request.newContext({
      baseURL: String(baseURL),
      extraHTTPHeaders: { authorization: basicAuth(key.secretId, key.secretKey) },
    });
    expect((await withKey.post("/api/v1/queues", { data: { name: uniqueName("k") } })).status()).toBe(201);
    expect(
      (
        await anonymous.get("/api/v1/queues", {
          headers: { authorization: basicAuth(key.secretId, `${key.secretKey}x`) },
        })
      ).status(),
    ).toBe(401);
    await withKey.dispose();

    const responses = [
      await (await api.get("/api/v1/keys")).text(),
      await (await api.get("/api/v1/users")).text(),
      await (await api.get("/api/v1/me")).text(),
      await (await api.get("/api/v1/audit?limit=200")).text(),
    ];
    for (const text of responses) {
      expect(text).not.toContain(key.secretKey);
      expect(text).not.toContain(owner.secretKey);
      expect(text).not.toContain(user.password);
      expect(text).not.toMatch(/scrypt\$/);
    }
    expect(responses[0]).toContain(key.secretId);
    const log = readFileSync(String(process.env.E2E_SERVER_LOG), "utf8");
    for (const secret of [key.secretKey, owner.secretKey, owner.password, user.password])
      expect(log).not.toContain(secret);
  });
});
