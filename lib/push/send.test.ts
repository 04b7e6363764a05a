import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { AddressPolicy } from "./address-guard";
import { createPushAgents, maxAnswerBytes, sendPush } from "./send";
import { startReceiver } from "./testing";

// One push over real HTTP against local receivers: the SSRF guard (on the address connected to, and
// on every redirect hop), redirects, the timeout, the bounded answer.

const agents = createPushAgents(8);
const payload = { body: "hello", headers: { "content-type": "text/plain", "x-cmq-message-id": "1" } };
const strict: AddressPolicy = { allowPrivate: false };
const closers: Array<() => Promise<unknown>> = [];

afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});
afterAll(() => {
  agents.http.destroy();
});

describe("push SSRF guard (OPENCMQ_PUSH_ALLOW_PRIVATE off)", () => {
  // A loopback server that must never be reached: it counts connections.
  let target: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    target = await startReceiver(() => 200);
  });
  afterAll(async () => {
    expect(target.connections()).toBe(0);
    await target.close();
  });

  it.each([
    ["127.0.0.1", () => `http://127.0.0.1:${target.port}/`, "refused: 127.0.0.1 is a loopback address"],
    ["[::1]", () => `http://[::1]:${target.port}/`, "refused: ::1 is a loopback address"],
    ["10.0.0.1", () => "http://10.0.0.1/hook", "refused: 10.0.0.1 is a private address"],
    ["192.168.0.10", () => "http://192.168.0.10:8080/", "refused: 192.168.0.10 is a private address"],
    ["169.254.169.254", () => "http://169.254.169.254/latest/meta-data/", "refused: 169.254.169.254 is a link-local"],
    ["0.0.0.0", () => `http://0.0.0.0:${target.port}/`, "refused: 0.0.0.0 is an unspecified address"],
    ["IPv4-mapped loopback", () => `http://[::ffff:127.0.0.1]:${target.port}/`, "refused: ::ffff:7f00:1 is a loopback"],
    ["hex-encoded loopback", () => `http://0x7f.1:${target.port}/`, "refused: 127.0.0.1 is a loopback address"],
    ["https to loopback", () => `https://127.0.0.1:${target.port}/`, "refused: 127.0.0.1 is a loopback address"],
  ])("refuses %s before connecting", async (_label, url, reason) => {
    const outcome = await sendPush(url(), payload, { timeoutMs: 2000, policy: strict, agents });
    expect(outcome.httpStatus).toBeNull();
    expect(outcome.error).toContain(reason);
    expect(outcome.error).toContain("(OPENCMQ_PUSH_ALLOW_PRIVATE is off)");
  });

  it("refuses a hostname that resolves to loopback (checked on what DNS answered, at connect time)", async () => {
    const outcome = await sendPush(`http://localhost:${target.port}/`, payload, {
      timeoutMs: 2000,
      policy: strict,
      agents,
    });
    expect(outcome.httpStatus).toBeNull();
    expect(outcome.error).toMatch(
      /^localhost resolves to (127\.0\.0\.1|::1); refused: (127\.0\.0\.1|::1) is a loopback address \(OPENCMQ_PUSH_ALLOW_PRIVATE is off\)$/,
    );
  });

  it("refuses a redirect from an allowed receiver to loopback, by address or by name", async () => {
    let location = "";
    const redirector = await startReceiver(() => ({ status: 307, headers: { location } }));
    closers.push(redirector.close);
    // Only the redirector's own address and port are allowed; its redirect's target is not.
    const policy: AddressPolicy = {
      allowPrivate: false,
      allowExactly: [{ address: "127.0.0.1", port: redirector.port }],
    };
    for (const [to, reason] of [
      [`http://127.0.0.1:${target.port}/x`, `refused: 127.0.0.1 is a loopback address`],
      [`http://localhost:${target.port}/x`, `localhost resolves to`],
      [`http://169.254.169.254/latest/meta-data/`, `refused: 169.254.169.254 is a link-local address`],
    ] as const) {
      location = to;
      const outcome = await sendPush(redirector.url, payload, { timeoutMs: 2000, policy, agents });
      expect(outcome.httpStatus).toBeNull();
      expect(outcome.error).toContain(`redirect to ${new URL(to).href}: `);
      expect(outcome.error).toContain(reason);
    }
    expect(redirector.received.length).toBe(3);
  });
});

describe("push over HTTP", () => {
  const open: AddressPolicy = { allowPrivate: true };

  it("follows 307/308 with the same method, body and headers, at most 3 hops", async () => {
    const final = await startReceiver(() => 204);
    let hops = 0;
    const redirector = await startReceiver(() => {
      hops++;
      return { status: hops === 1 ? 307 : 308, headers: { location: hops < 2 ? "/again" : final.url } };
    });
    closers.push(final.close, redirector.close);
    const outcome = await sendPush(redirector.url, payload, { timeoutMs: 2000, policy: open, agents });
    expect(outcome).toMatchObject({ httpStatus: 204, error: null });
    expect(redirector.received.map((r) => [r.method, r.url, r.body])).toEqual([
      ["POST", "/push", "hello"],
      ["POST", "/again", "hello"],
    ]);
    expect(final.received.map((r) => [r.method, r.body, r.headers["x-cmq-message-id"]])).toEqual([
      ["POST", "hello", "1"],
    ]);

    const loop = await startReceiver(() => ({ status: 307, headers: { location: "/loop" } }));
    closers.push(loop.close);
    const looped = await sendPush(loop.url, payload, { timeoutMs: 2000, policy: open, agents });
    expect(looped).toMatchObject({ httpStatus: 307, error: "more than 3 redirects" });
    expect(loop.received.length).toBe(4);
  });

  it("does not follow 301/302/303 (they would turn the POST into a GET): a failed attempt", async () => {
    const target = await startReceiver(() => 200);
    const redirector = await startReceiver(() => ({ status: 302, headers: { location: target.url } }));
    closers.push(target.close, redirector.close);
    const outcome = await sendPush(redirector.url, payload, { timeoutMs: 2000, policy: open, agents });
    expect(outcome).toMatchObject({
      httpStatus: 302,
      error: "HTTP 302: redirect not followed (only 307 and 308 keep the POST)",
    });
    expect(target.received.length).toBe(0);
  });

  it("a receiver that never answers is a failure after the timeout", async () => {
    const silent = await startReceiver(() => "hang");
    closers.push(silent.close);
    const outcome = await sendPush(silent.url, payload, { timeoutMs: 300, policy: open, agents });
    expect(outcome).toMatchObject({ httpStatus: null, error: "timed out after 300 ms" });
    expect(outcome.latencyMs).toBeGreaterThanOrEqual(295);
    expect(outcome.latencyMs).toBeLessThan(1500);
  });

  it("non-2xx is a failure carrying the status and the start of the answer", async () => {
    const failing = await startReceiver(() => 503);
    closers.push(failing.close);
    const outcome = await sendPush(failing.url, payload, { timeoutMs: 2000, policy: open, agents });
    expect(outcome).toMatchObject({ httpStatus: 503, error: "HTTP 503: ok" });
  });

  it("an endless answer is cut off after 64 KiB, never buffered", async () => {
    let written = 0;
    let closedEarly = false;
    const server = http.createServer((_request, response) => {
      response.writeHead(500);
      const chunk = Buffer.alloc(16 * 1024, "x");
      const pump = () => {
        while (written < 64 * 1024 * 1024) {
          written += chunk.length;
          if (!response.write(chunk)) return void response.once("drain", pump);
        }
        response.end();
      };
      response.on("close", () => {
        closedEarly = written < 64 * 1024 * 1024;
      });
      pump();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    closers.push(() => new Promise((resolve) => server.close(resolve)));
    const port = (server.address() as AddressInfo).port;
    const outcome = await sendPush(`http://127.0.0.1:${port}/`, payload, { timeoutMs: 5000, policy: open, agents });
    expect(outcome.httpStatus).toBe(500);
    expect(outcome.error).toBe(`HTTP 500: ${"x".repeat(200)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(closedEarly).toBe(true);
    expect(written).toBeLessThan(maxAnswerBytes + 8 * 1024 * 1024); // socket buffers, not 64 MiB
  });

  it("HTTPS verifies the endpoint's certificate: a self-signed one is a failed attempt", async () => {
    const server = https.createServer({ key: selfSigned.key, cert: selfSigned.cert }, (_request, response) => {
      response.writeHead(200).end();
    });
    let requests = 0;
    server.on("request", () => requests++);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    closers.push(() => new Promise((resolve) => server.close(resolve)));
    const port = (server.address() as AddressInfo).port;
    const outcome = await sendPush(`https://127.0.0.1:${port}/`, payload, { timeoutMs: 2000, policy: open, agents });
    expect(outcome).toMatchObject({ httpStatus: null, error: "self-signed certificate" });
    expect(requests).toBe(0);
  });

  it("an invalid URL or another scheme is a failure, not a crash", async () => {
    expect(await sendPush("not a url", payload, { timeoutMs: 500, policy: open, agents })).toMatchObject({
      httpStatus: null,
      error: "invalid endpoint URL",
    });
    expect(await sendPush("file:///etc/passwd", payload, { timeoutMs: 500, policy: open, agents })).toMatchObject({
      httpStatus: null,
      error: "unsupported scheme file:",
    });
  });
});

/** A self-signed certificate for 127.0.0.1 (valid until 2126), made for this test with openssl. */
const selfSigned = {
  key: `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgv5PABvIgrlNKPpUf
ZOVifcpGO4XaadUZ/piGmH9z4PqhRANCAAScuj1b4JaOodtTuN83tgmilIkagUdL
I09hEf1rnb6JcWLoNnhIPdZQXXJ5gLLW/VjlD067mQ4yQmkfxYbpZUJc
-----END PRIVATE KEY-----`,
  cert: `-----BEGIN CERTIFICATE-----
MIIBmzCCAUGgAwIBAgIUFMvc0Hmg9/Xeh57vlINoVf1xpr0wCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTEzMDEwMjkxNVoYDzIxMjYxMTA2
MTAyOTE1WjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAAScuj1b4JaOodtTuN83tgmilIkagUdLI09hEf1rnb6JcWLoNnhIPdZQ
XXJ5gLLW/VjlD067mQ4yQmkfxYbpZUJco28wbTAdBgNVHQ4EFgQUXfsOxpv0sLn+
AyTVmkujifL9zgkwHwYDVR0jBBgwFoAUXfsOxpv0sLn+AyTVmkujifL9zgkwDwYD
VR0TAQH/BAUwAwEB/zAaBgNVHREEEzARhwR/AAABgglsb2NhbGhvc3QwCgYIKoZI
zj0EAwIDSAAwRQIhAKEaoPFZPTUur7m7QJ/tz6l9F9us38isIP1mkfo7hSRJAiA9
3asmQ7y/MI28Gmdgi9eUCqJlX8EkEPtzWPpN66vQZw==
-----END CERTIFICATE-----`,
};
