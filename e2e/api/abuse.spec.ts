import type { ChildProcess } from "node:child_process";
import http from "node:http";
import { startAppServer, stopAppServer } from "../app-server";
import { basicAuth, expect, type Owner, test, uniqueName } from "../fixtures";
import type { signIn } from "../session";
import { postChunked, rssMiB, signedForm } from "./abuse-helpers";

// Unauthenticated and authenticated abuse at the edges (issue 9, items 6–11, 13, 21). The first
// group runs against the shared app; the second against an app process of its own, so its memory
// can be measured and its settings (a 2 s body deadline, ::1 as the only trusted proxy) set.

const form = { "content-type": "application/x-www-form-urlencoded" };

test.describe("hostile requests", () => {
  test("CMQ Action=constructor, __proto__ and other Object.prototype names are unknown actions (4000, 10430)", async ({
    cmq,
  }) => {
    for (const action of ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf", "__defineGetter__"]) {
      const reply = await cmq.call(action);
      expect({ action, code: reply.code, message: reply.message, keys: Object.keys(reply).sort() }).toEqual({
        action,
        code: 4000,
        message: `(10430)action name ${action} is not existed`,
        keys: ["code", "message", "requestId"],
      });
    }
  });

  test("a request signed under an unknown SignatureMethod is refused, not checked as HmacSHA1", async ({ cmq }) => {
    for (const method of ["HmacMD5", "hmacsha1", "HmacSHA512", ""]) {
      // The client signs with SHA1, which the old server used for any method it did not know.
      const reply = await cmq.call("ListQueue", { SignatureMethod: method });
      expect({ method, code: reply.code, message: reply.message }).toEqual({
        method,
        code: 4000,
        message: "(10110)invalid param SignatureMethod: must be HmacSHA1 or HmacSHA256",
      });
    }
    expect((await cmq.call("ListQueue")).code).toBe(0);
  });

  test("a SecretId longer than 64 characters is refused before any lookup (CMQ and REST)", async ({
    baseURL,
    anonymous,
  }) => {
    const secretId = `AKID${"x".repeat(61)}`;
    const cmqReply = await anonymous.post("/v2/index.php", {
      headers: form,
      data: new URLSearchParams({
        Action: "ListQueue",
        SecretId: secretId,
        Signature: "x",
        Timestamp: String(Math.floor(Date.now() / 1000)),
        Nonce: "1",
      }).toString(),
    });
    expect(await cmqReply.json()).toMatchObject({
      code: 4100,
      message: "(10270)secret id is not existed or is disabled",
    });
    const rest = await anonymous.get(`${baseURL}/api/v1/queues`, {
      headers: { authorization: basicAuth(secretId, "k") },
    });
    expect(rest.status()).toBe(401);
    expect((await rest.json()).error.code).toBe("UNAUTHORIZED");
  });

  test("a CMQ body is limited in bytes, not UTF-16 units: 1.5 M '€' (4.5 MB) chunked is refused (4000, 10420)", async ({
    baseURL,
  }) => {
    const chunk = Buffer.from("€".repeat(64 * 1024)); // 192 KiB a chunk
    const reply = await postChunked(`${baseURL}/v2/index.php`, {
      headers: form,
      chunk,
      totalBytes: 24 * chunk.length, // 4.5 MiB, 1.5 M characters
      timeoutMs: 30_000,
    });
    expect(reply).not.toBe("no answer");
    if (reply === "no answer") return;
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toMatchObject({ code: 4000, message: "(10420)request is larger than the limit" });
  });

  test("a CMQ request with 5,000 parameters is refused before parsing (4000, 10420)", async ({ anonymous }) => {
    const data = Array.from({ length: 5000 }, (_, i) => `p${i}=x`).join("&");
    for (const reply of [
      await anonymous.post("/v2/index.php", { headers: form, data }),
      await anonymous.get(`/v2/index.php?${data.slice(0, 12_000)}`),
    ]) {
      expect(await reply.json()).toMatchObject({ code: 4000, message: "(10420)request has more than 1000 parameters" });
    }
  });

  test("a policy resource pattern with more than 8 '*' is refused at validation (no backtracking later)", async ({
    api,
  }) => {
    const created = await api.post("/api/v1/users", {
      data: { email: `${uniqueName("glob")}@e2e.test`, name: "Glob", role: "developer" },
    });
    expect(created.status()).toBe(201);
    const user = await created.json();
    const refused = await api.put(`/api/v1/users/${user.id}/policy`, {
      data: { statements: [{ effect: "allow", actions: ["queue:*"], resources: ["*a*a*a*a*a*a*a*a*a*a*b"] }] },
    });
    expect(refused.status()).toBe(400);
    const body = await refused.json();
    expect(body.error.code).toBe("INVALID_INPUT");
    expect(JSON.stringify(body.error)).toContain("at most 8 '*' in a pattern");
    const accepted = await api.put(`/api/v1/users/${user.id}/policy`, {
      data: { statements: [{ effect: "allow", actions: ["queue:*"], resources: ["*a*a*a*a*a*a*a*b"] }] },
    });
    expect(accepted.status()).toBe(200);
  });

  test("X-Forwarded-For from a client that is no trusted proxy is ignored by the audit log (login, REST, CMQ)", async ({
    owner,
    api,
    playwright,
    baseURL,
  }) => {
    const base = String(baseURL);
    const spoofed = { "x-forwarded-for": "203.0.113.7" };
    const session = await playwright.request.newContext({
      baseURL: base,
      extraHTTPHeaders: { origin: base, ...spoofed },
    });
    const { csrfToken } = await (await session.get("/api/auth/csrf")).json();
    await session.post("/api/auth/callback/credentials", {
      form: { csrfToken, email: owner.email, password: owner.password, json: "true" },
    });
    const rest = uniqueName("xff-rest");
    expect((await api.post("/api/v1/queues", { data: { name: rest }, headers: spoofed })).status()).toBe(201);
    const cmqQueue = uniqueName("xff-cmq");
    const cmqReply = await api.post("/v2/index.php", {
      headers: { ...form, ...spoofed },
      data: signedForm(base, owner, "CreateQueue", { queueName: cmqQueue }),
    });
    expect((await cmqReply.json()).code).toBe(0);
    const audit = await (await api.get("/api/v1/audit?limit=50")).json();
    const ipOf = (action: string, resource?: string) =>
      audit.events.find(
        (e: { action: string; resourceName: string | null }) =>
          e.action === action && (!resource || e.resourceName === resource),
      )?.ip;
    expect({
      login: ipOf("session.login"),
      rest: ipOf("queue.create", rest),
      cmq: ipOf("queue.create", cmqQueue),
    }).toEqual({ login: "127.0.0.1", rest: "127.0.0.1", cmq: "127.0.0.1" });
    await session.dispose();
  });

  test("console and API answers carry security headers; API answers are never stored", async ({ api, anonymous }) => {
    const login = await anonymous.get("/login");
    expect(login.status()).toBe(200);
    const headers = login.headers();
    expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(headers["content-security-policy"]).toContain("default-src 'self'");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["referrer-policy"]).toBe("same-origin");
    const key = await api.post("/api/v1/keys", { data: { description: uniqueName("hdr") } });
    expect(key.status()).toBe(201);
    expect(key.headers()["cache-control"]).toBe("no-store");
    const me = await api.get("/api/v1/me");
    expect(me.headers()["cache-control"]).toBe("no-store");
    expect(me.headers()["x-content-type-options"]).toBe("nosniff");
  });
});

test.describe("abuse against an app process of its own", () => {
  test.describe.configure({ mode: "serial", timeout: 180_000 });
  let server: ChildProcess;
  let base: string;
  let baseV6: string;

  // biome-ignore lint/correctness/noEmptyPattern: Playwright's fixture signature
  test.beforeAll(async ({}, testInfo) => {
    const port = Number(new URL(String(testInfo.project.use.baseURL)).port) + 87; // +50 and +60 are taken by other specs
    const started = await startAppServer(port, {
      env: {
        OPENCMQ_BODY_TIMEOUT_MS: "2000",
        OPENCMQ_TRUSTED_PROXIES: "::1",
        OPENCMQ_WORKERS: "off",
        OPENCMQ_LOGIN_ATTEMPTS_PER_MINUTE: "20", // the default; the shared e2e server raises it
      },
    });
    server = started.server;
    base = started.url;
    baseV6 = `http://[::1]:${port}`;
    await started.ready;
  });
  test.afterAll(async () => {
    if (server) await stopAppServer(server);
  });

  const rss = () => rssMiB(server.pid ?? 0);

  test("150 MB chunked bodies to CMQ and REST are refused at 4 MiB without being buffered", async ({ owner }) => {
    const auth = { authorization: basicAuth(owner.secretId, owner.secretKey) };
    await fetch(`${base}/api/v1/queues`, { headers: auth }); // load both routes before measuring
    await fetch(`${base}/v2/index.php`, { method: "POST", headers: form, body: "Action=ListQueue" });
    const before = rss();
    const cmqReply = await postChunked(`${base}/v2/index.php`, {
      headers: form,
      totalBytes: 150 * 1024 * 1024,
      chunk: Buffer.alloc(64 * 1024, "a"),
      timeoutMs: 60_000,
    });
    const restReply = await postChunked(`${base}/api/v1/queues`, {
      headers: { ...auth, "content-type": "application/json" },
      totalBytes: 150 * 1024 * 1024,
      chunk: Buffer.alloc(64 * 1024, " "),
      timeoutMs: 60_000,
    });
    const after = rss();
    console.log(`RSS around two 150 MB chunked bodies: ${before} → ${after} MiB`);
    if (cmqReply === "no answer" || restReply === "no answer") throw new Error("a body was never answered");
    expect(JSON.parse(cmqReply.body)).toMatchObject({ code: 4000, message: "(10420)request is larger than the limit" });
    expect(restReply.status).toBe(413);
    expect(JSON.parse(restReply.body).error.code).toBe("REQUEST_TOO_LARGE");
    expect(cmqReply.bytesSent + restReply.bytesSent).toBeLessThan(2 * 150 * 1024 * 1024);
    expect(after - before).toBeLessThan(64);
  });

  test("a body that never ends is answered when the body deadline passes (REST 408, CMQ 4000)", async ({ owner }) => {
    const auth = { authorization: basicAuth(owner.secretId, owner.secretKey) };
    const [rest, cmq] = await Promise.all([
      postChunked(`${base}/api/v1/queues`, {
        headers: { ...auth, "content-type": "application/json" },
        timeoutMs: 15_000,
      }),
      postChunked(`${base}/v2/index.php`, { headers: form, timeoutMs: 15_000 }),
    ]);
    if (rest === "no answer" || cmq === "no answer") throw new Error("a never-ending body was never answered");
    expect(rest.status).toBe(408);
    expect(JSON.parse(rest.body).error).toEqual({
      code: "REQUEST_TIMEOUT",
      message: "The request body did not arrive within 2 s.",
    });
    expect(JSON.parse(cmq.body)).toMatchObject({
      code: 4000,
      message: "(10420)request body did not arrive within 2 s",
    });
  });

  test("a small body that stops short of its Content-Length is answered at the deadline; one sent in parts is read whole", async ({
    owner,
  }) => {
    // The front reads bodies of up to 64 KiB itself as they arrive (lib/front/node-bridge.ts): the
    // deadline and the answers must be read-body.ts's, on the data plane's own paths.
    const auth = { authorization: basicAuth(owner.secretId, owner.secretKey) };
    const queue = uniqueName("short");
    expect(
      (
        await fetch(`${base}/api/v1/queues`, {
          method: "POST",
          headers: { ...auth, "content-type": "application/json" },
          body: JSON.stringify({ name: queue }),
        })
      ).status,
    ).toBe(201);
    const startedAt = Date.now();
    const [rest, cmq] = await Promise.all([
      postChunked(`${base}/api/v1/queues/${queue}/messages`, {
        headers: { ...auth, "content-type": "application/json", "content-length": "100" },
        timeoutMs: 15_000,
      }),
      postChunked(`${base}/v2/index.php`, { headers: { ...form, "content-length": "100" }, timeoutMs: 15_000 }),
    ]);
    if (rest === "no answer" || cmq === "no answer") throw new Error("a short body was never answered");
    expect(Date.now() - startedAt).toBeGreaterThan(1900);
    expect(rest.status).toBe(408);
    expect(JSON.parse(rest.body).error).toEqual({
      code: "REQUEST_TIMEOUT",
      message: "The request body did not arrive within 2 s.",
    });
    expect(JSON.parse(cmq.body)).toMatchObject({
      code: 4000,
      message: "(10420)request body did not arrive within 2 s",
    });

    const body = Buffer.from(JSON.stringify({ messages: [{ body: "sent in two parts" }] }));
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        `${base}/api/v1/queues/${queue}/messages`,
        { method: "POST", headers: { ...auth, "content-type": "application/json", "content-length": body.length } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      req.write(body.subarray(0, 10));
      setTimeout(() => req.end(body.subarray(10)), 500);
    });
    expect(status).toBe(201);
  });

  test("300 CMQ requests with a 1 MB SecretId are refused and leave memory where it was", async () => {
    const secretId = `AKID${"x".repeat(1024 * 1024)}`;
    const body = new URLSearchParams({
      Action: "ListQueue",
      SecretId: secretId,
      Signature: "x",
      Timestamp: String(Math.floor(Date.now() / 1000)),
      Nonce: "1",
    }).toString();
    const before = rss();
    const codes = new Map<number, number>();
    for (let round = 0; round < 75; round++) {
      const replies = await Promise.all(
        Array.from({ length: 4 }, async () => {
          const res = await fetch(`${base}/v2/index.php`, { method: "POST", headers: form, body });
          return ((await res.json()) as { code: number }).code;
        }),
      );
      for (const code of replies) codes.set(code, (codes.get(code) ?? 0) + 1);
    }
    const after = rss();
    console.log(`RSS around 300 requests with a 1 MB SecretId: ${before} → ${after} MiB`);
    expect([...codes]).toEqual([[4100, 300]]);
    expect(after - before).toBeLessThan(64);
  });

  test("password changes beyond the hashing queue answer 429 with Retry-After", async ({ owner, playwright }) => {
    // Signed in through ::1 (a trusted proxy) as a fresh address, so this test's logins have their own bucket.
    const { context, isSignedIn } = await signInVia(playwright, baseV6, owner, "198.51.100.20");
    expect(isSignedIn).toBe(true);
    const replies = await Promise.all(
      Array.from({ length: 24 }, () =>
        context.post("/api/v1/me/password", {
          data: { currentPassword: "not the password", newPassword: "new password 123" },
        }),
      ),
    );
    const statuses = replies.map((r) => r.status());
    const throttled = replies.filter((r) => r.status() === 429);
    expect(statuses.filter((s) => s !== 429 && s !== 400)).toEqual([]);
    expect(throttled.length).toBeGreaterThan(0);
    for (const r of throttled) {
      expect(r.headers()["retry-after"]).toBe("2");
      expect((await r.json()).error.code).toBe("THROTTLED");
    }
    await context.dispose();
  });

  test("40 concurrent logins for unknown emails: the excess gets 429, the API keeps answering", async ({
    owner,
    playwright,
  }) => {
    const api = await playwright.request.newContext({
      baseURL: base,
      extraHTTPHeaders: { authorization: basicAuth(owner.secretId, owner.secretKey) },
    });
    const csrfContext = await playwright.request.newContext({ baseURL: base, extraHTTPHeaders: { origin: base } });
    const { csrfToken } = await (await csrfContext.get("/api/auth/csrf")).json();
    const cookie = (await csrfContext.storageState()).cookies.map((c) => `${c.name}=${c.value}`).join("; ");
    const started = Date.now();
    const logins = Array.from({ length: 40 }, (_, i) =>
      csrfContext.post("/api/auth/callback/credentials", {
        // Each claims another address; from 127.0.0.1 (no trusted proxy) the claim is ignored.
        headers: { cookie, "x-forwarded-for": `198.51.100.${i + 1}` },
        form: { csrfToken, email: `${uniqueName("nobody")}@e2e.test`, password: "whatever password", json: "true" },
      }),
    );
    await new Promise((r) => setTimeout(r, 200));
    const apiStarted = Date.now();
    const during = await api.get("/api/v1/queues");
    const apiMs = Date.now() - apiStarted;
    const replies = await Promise.all(logins);
    const statuses = replies.map((r) => r.status());
    console.log(
      `REST GET /queues during 40 concurrent logins: ${apiMs} ms; logins done after ${Date.now() - started} ms; ` +
        `statuses ${statusCounts(statuses)}`,
    );
    expect(during.status()).toBe(200);
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
    const throttled = replies.filter((r) => r.status() === 429);
    expect(throttled.length).toBeGreaterThan(0);
    for (const r of throttled) expect(r.headers()["retry-after"]).toBe("2");
    await Promise.all([api.dispose(), csrfContext.dispose()]);
  });

  test("the per-address login throttle counts the socket's address, whatever X-Forwarded-For claims", async ({
    owner,
    playwright,
  }) => {
    // 21 attempts from 127.0.0.1, each claiming another address: the limit is 20 a minute per address,
    // so the owner's right password is refused next (that failure is audited without an account).
    const context = await playwright.request.newContext({ baseURL: base, extraHTTPHeaders: { origin: base } });
    const { csrfToken } = await (await context.get("/api/auth/csrf")).json();
    await Promise.all(
      Array.from({ length: 21 }, (_, i) =>
        context.post("/api/auth/callback/credentials", {
          headers: { "x-forwarded-for": `192.0.2.${i + 100}` },
          form: { csrfToken, email: `${uniqueName("nobody")}@e2e.test`, password: "whatever password", json: "true" },
        }),
      ),
    );
    await context.dispose();
    const refused = await signInVia(playwright, base, owner, "192.0.2.77");
    expect(refused.isSignedIn).toBe(false);
    await refused.context.dispose();
    // Through ::1, a trusted proxy, the forwarded address counts: 203.0.113.7, the rightmost one.
    const proxied = await signInVia(playwright, baseV6, owner, "192.0.2.1, 203.0.113.7");
    expect(proxied.isSignedIn).toBe(true);
    const audit = await (await proxied.context.get("/api/v1/audit?action=session.login&limit=1")).json();
    expect(audit.events.map((e: { outcome: string; ip: string }) => [e.outcome, e.ip])).toEqual([
      ["success", "203.0.113.7"],
    ]);
    await proxied.context.dispose();
  });
});

async function signInVia(
  playwright: { request: Parameters<typeof signIn>[0] },
  baseURL: string,
  owner: Owner,
  forwardedFor: string,
) {
  const context = await playwright.request.newContext({
    baseURL,
    extraHTTPHeaders: { origin: baseURL, "x-forwarded-for": forwardedFor },
  });
  const { csrfToken } = await (await context.get("/api/auth/csrf")).json();
  await context.post("/api/auth/callback/credentials", {
    form: { csrfToken, email: owner.email, password: owner.password, json: "true" },
  });
  const isSignedIn = (await context.storageState()).cookies.some((c) => c.name.endsWith("next-auth.session-token"));
  return { context, isSignedIn };
}

const statusCounts = (statuses: number[]) =>
  [...new Set(statuses)].map((s) => `${s}×${statuses.filter((x) => x === s).length}`).join(", ");
