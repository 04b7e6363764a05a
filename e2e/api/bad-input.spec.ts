import type { APIRequestContext, APIResponse } from "@playwright/test";
import { accountSnapshot } from "../account-snapshot";
import { basicAuth, expect, test, uniqueName } from "../fixtures";
import { rawCmq } from "../raw-cmq";
import { signIn } from "../session";

// Bad input never gets a 500 (DESIGN.md §4 invariant 4): NUL bytes, lone surrogates, invalid
// UTF-8, malformed percent-encoding, out-of-range ids, cursors and dates each answer a 400 (REST)
// or a 4000 (CMQ) that names the field, and change nothing. Each was a 500/6000 or a silently
// altered message before.

const json = { "content-type": "application/json" };

async function expectRefused(response: APIResponse, code: string, field: string | null, message: RegExp) {
  expect(response.status()).toBe(400);
  const { error } = await response.json();
  expect(error.code).toBe(code);
  expect(error.message).toMatch(message);
  if (field !== null) expect(error.details.issues.map((i: { path: string }) => i.path)).toContain(field);
}

async function newQueue(api: APIRequestContext) {
  const name = uniqueName("bad-input");
  expect((await api.post("/api/v1/queues", { data: { name } })).status()).toBe(201);
  return name;
}

test.describe("REST: bad input answers 400 naming the field, and changes nothing", () => {
  test("a NUL byte in a body, tag, description, user name, password, search or audit filter (was 500)", async ({
    api,
  }) => {
    const q = await newQueue(api);
    const before = await accountSnapshot(api);
    const nul = "a\u0000b";
    const cases: [Promise<APIResponse>, string][] = [
      [api.post(`/api/v1/queues/${q}/messages`, { data: { messages: [{ body: nul }] } }), "messages.0.body"],
      [
        api.post(`/api/v1/queues/${q}/messages`, { data: { messages: [{ body: "x", tags: [nul] }] } }),
        "messages.0.tags.0",
      ],
      [api.post("/api/v1/keys", { data: { description: nul } }), "description"],
      [
        api.post("/api/v1/users", { data: { email: `${uniqueName("u")}@e2e.test`, name: nul, role: "readonly" } }),
        "name",
      ],
      [
        api.post("/api/v1/users", {
          data: { email: `${uniqueName("u")}@e2e.test`, name: "n", role: "readonly", password: `${nul}-long-enough` },
        }),
        "password",
      ],
      [api.get(`/api/v1/queues/${q}/messages?search=a%00`), "search"],
      [api.get("/api/v1/queues?search=%00"), "search"],
      [api.get("/api/v1/audit?actor=%00"), "actor"],
      [api.post(`/api/v1/queues/${q}/messages/delete`, { data: { receiptHandles: [`1:${nul}`] } }), "receiptHandles.0"],
    ];
    for (const [response, field] of cases) {
      await expectRefused(await response, "INVALID_INPUT", field, /must not contain NUL \(U\+0000\)/);
    }
    expect(await accountSnapshot(api)).toEqual(before);
  });

  test("a lone surrogate escaped in JSON (\\ud800) is refused, not stored as U+FFFD", async ({ api }) => {
    const q = await newQueue(api);
    const before = await accountSnapshot(api);
    const lone = /must be valid Unicode text: it contains a lone surrogate/;
    const cases: [string, string, string][] = [
      [`/api/v1/queues/${q}/messages`, '{"messages":[{"body":"a\\ud800b"}]}', "messages.0.body"],
      [`/api/v1/queues/${q}/messages`, '{"messages":[{"body":"ok","tags":["\\udc00"]}]}', "messages.0.tags.0"],
      ["/api/v1/keys", '{"description":"key \\udfff"}', "description"],
      ["/api/v1/users", `{"email":"${uniqueName("u")}@e2e.test","name":"\\ud83d","role":"readonly"}`, "name"],
    ];
    for (const [path, data, field] of cases) {
      await expectRefused(await api.post(path, { data, headers: json }), "INVALID_INPUT", field, lone);
    }
    expect(await accountSnapshot(api)).toEqual(before);
    // A surrogate pair is a character like any other.
    const pair = await api.post(`/api/v1/queues/${q}/messages`, {
      data: '{"messages":[{"body":"\\ud83d\\ude00"}]}',
      headers: json,
    });
    expect(pair.status()).toBe(201);
  });

  test("invalid UTF-8 bytes in a JSON body are refused, not stored as U+FFFD", async ({ api }) => {
    const q = await newQueue(api);
    const before = await accountSnapshot(api);
    for (const bad of [[0xff], [0xc3], [0xed, 0xa0, 0x80], [0xc0, 0x80]]) {
      const data = Buffer.concat([Buffer.from('{"messages":[{"body":"a'), Buffer.from(bad), Buffer.from('b"}]}')]);
      await expectRefused(
        await api.post(`/api/v1/queues/${q}/messages`, { data, headers: json }),
        "INVALID_JSON",
        null,
        /^The request body is not valid UTF-8\.$/,
      );
    }
    expect(await accountSnapshot(api)).toEqual(before);
  });

  test("a path with NUL, a malformed escape or invalid UTF-8 answers 400 in the REST format (was a plain-text 500)", async ({
    api,
  }) => {
    const q = await newQueue(api);
    const before = await accountSnapshot(api);
    await expectRefused(
      await api.get("/api/v1/queues/a%00b"),
      "INVALID_INPUT",
      "name",
      /^Invalid path: name: must not/,
    );
    await expectRefused(
      await api.post("/api/v1/queues/a%00b/messages", { data: { messages: [{ body: "x" }] } }),
      "INVALID_INPUT",
      "name",
      /must not contain NUL/,
    );
    const undecodable = [
      ["GET", "/api/v1/queues/a%zz"],
      ["DELETE", "/api/v1/queues/%"],
      ["GET", `/api/v1/queues/${q}%FF`],
      ["DELETE", `/api/v1/queues/${q}%ED%A0%80`],
      ["POST", `/api/v1/queues/${q}%C3/messages`],
      ["PATCH", "/api/v1/keys/%zz"],
      ["GET", "/api/v1/nowhere%zz"],
    ];
    for (const [method, path] of undecodable) {
      const response = await api.fetch(String(path), { method, data: method === "GET" ? undefined : {} });
      expect(response.status(), `${method} ${path}`).toBe(400);
      expect(await response.json()).toEqual({
        error: { code: "INVALID_INPUT", message: "The path is not valid percent-encoded UTF-8." },
      });
    }
    expect(await accountSnapshot(api)).toEqual(before);
  });

  test("out-of-range cursors and ids (9999999999999999999, 36 dashes) answer 400 (were 500)", async ({ api }) => {
    const q = await newQueue(api);
    const before = await accountSnapshot(api);
    const cursor = /must be a nextCursor returned by a previous page/;
    for (const c of ["9999999999999999999-1", "1-9999999999999999999", "253402300800000000-1"]) {
      await expectRefused(await api.get(`/api/v1/queues/${q}/messages?cursor=${c}`), "INVALID_INPUT", "cursor", cursor);
    }
    await expectRefused(await api.get("/api/v1/audit?cursor=9999999999999999999"), "INVALID_INPUT", "cursor", cursor);
    // The largest values that fit still work: an empty page, not an error.
    const last = await api.get(`/api/v1/queues/${q}/messages?cursor=253402300799999999-9223372036854775807`);
    expect(await last.json()).toEqual({ messages: [], nextCursor: null, searched: null, totals: null });
    expect((await api.get("/api/v1/audit?cursor=9223372036854775807")).status()).toBe(200);

    const dashes = "-".repeat(36);
    const id = /^Invalid path: id: must be an id as returned by the API \(a UUID\)$/;
    for (const [method, path, data] of [
      ["PATCH", `/api/v1/keys/${dashes}`, { description: "x" }],
      ["DELETE", `/api/v1/keys/${dashes}`, undefined],
      ["PATCH", `/api/v1/users/${dashes}`, { name: "x" }],
      ["PUT", `/api/v1/users/${dashes}/policy`, { statements: [] }],
      ["PATCH", "/api/v1/users/9999999999999999999", { name: "x" }],
    ] as const) {
      await expectRefused(await api.fetch(path, { method, data }), "INVALID_INPUT", "id", id);
    }
    // A well-formed id that does not exist is still "not found".
    const missing = await api.patch(`/api/v1/users/00000000-0000-0000-0000-000000000000`, { data: { name: "x" } });
    expect(missing.status()).toBe(404);
    expect(await accountSnapshot(api)).toEqual(before);
  });

  test("audit dates outside years 0001–9999 (0000-01-01) answer 400 (were 500)", async ({ api }) => {
    const range = /must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z/;
    for (const [field, value] of [
      ["from", "0000-01-01T00:00:00Z"],
      ["from", "0001-01-01T00:00:00%2B14:00"],
      ["to", "9999-12-31T23:59:59-01:00"],
    ]) {
      await expectRefused(await api.get(`/api/v1/audit?${field}=${value}`), "INVALID_INPUT", String(field), range);
    }
    const widest = await api.get("/api/v1/audit?from=0001-01-01T00:00:00Z&to=9999-12-31T23:59:59.999Z");
    expect(widest.status()).toBe(200);
  });

  test("credentials with a NUL are simply wrong: HTTP Basic answers 401 (was 500), a login leaks no database error", async ({
    owner,
    playwright,
    baseURL,
  }) => {
    const basic = await playwright.request.newContext({
      baseURL,
      extraHTTPHeaders: { authorization: basicAuth(`${owner.secretId}\u0000`, owner.secretKey) },
    });
    const refused = await basic.get("/api/v1/queues");
    expect(refused.status()).toBe(401);
    expect((await refused.json()).error.code).toBe("UNAUTHORIZED");
    await basic.dispose();

    const login = await signIn(playwright.request, String(baseURL), `${owner.email}\u0000`, owner.password);
    expect(login.isSignedIn).toBe(false);
    expect(await login.response.json()).toEqual({
      url: `${baseURL}/api/auth/error?error=CredentialsSignin&provider=credentials`,
    });
    await login.context.dispose();
  });
});

test.describe("CMQ: bad input answers 4000 naming the parameter, and changes nothing", () => {
  test("a NUL byte in msgBody, queueName, searchWord, receiptHandle, Action or Nonce (was 6000 or ignored)", async ({
    api,
    cmq,
  }) => {
    const q = await newQueue(api);
    const before = await accountSnapshot(api);
    const nul = "a\u0000b";
    for (const [action, params, field] of [
      ["SendMessage", { queueName: q, msgBody: nul }, "msgBody"],
      ["BatchSendMessage", { queueName: q, "msgBody.1": "fine", "msgBody.2": nul }, "msgBody.2"],
      ["GetQueueAttributes", { queueName: nul }, "queueName"],
      ["ListQueue", { searchWord: nul }, "searchWord"],
      ["DeleteMessage", { queueName: q, receiptHandle: `1:${nul}` }, "receiptHandle"],
      ["DeleteQueue", { queueName: q, Nonce: `1${nul}` }, "Nonce"],
      [`DeleteQueue${nul}`, { queueName: q }, "Action"],
    ] as const) {
      const response = await cmq.call(action, params);
      expect({ code: response.code, message: response.message }).toEqual({
        code: 4000,
        message: `(10110)invalid param ${field}: must not contain NUL (U+0000)`,
      });
    }
    expect(await accountSnapshot(api)).toEqual(before);
  });

  test("invalid UTF-8 in msgBody (escaped or raw) is refused, not stored as U+FFFD", async ({
    api,
    owner,
    baseURL,
  }) => {
    const q = await newQueue(api);
    const before = await accountSnapshot(api);
    // Each is signed as a lenient decoder reads it, so only the server's decoding refuses it.
    for (const [wire, leniently, why] of [
      ["a%FFb", "a\ufffdb", "is not valid percent-encoded UTF-8"],
      ["a%ED%A0%80b", "a\ufffd\ufffd\ufffdb", "is not valid percent-encoded UTF-8"],
      ["a%C0%80b", "a\ufffd\ufffdb", "is not valid percent-encoded UTF-8"],
      [Buffer.from([0x61, 0xff, 0x62]), "a\ufffdb", "is not valid UTF-8"],
    ] as const) {
      const response = await rawCmq(
        String(baseURL),
        owner,
        { Action: "SendMessage", queueName: q, msgBody: leniently },
        { msgBody: wire },
      );
      expect({ code: response.code, message: response.message }).toEqual({
        code: 4000,
        message: `(10110)invalid param msgBody: ${why}`,
      });
    }
    expect(await accountSnapshot(api)).toEqual(before);
  });

  test("malformed percent-encoding (%zz, a trailing %) is refused, not taken literally", async ({
    api,
    owner,
    baseURL,
  }) => {
    const q = await newQueue(api);
    const before = await accountSnapshot(api);
    for (const wire of ["a%zzb", "100%", "%4"]) {
      const response = await rawCmq(
        String(baseURL),
        owner,
        { Action: "SendMessage", queueName: q, msgBody: wire },
        { msgBody: wire },
      );
      expect({ code: response.code, message: response.message }).toEqual({
        code: 4000,
        message: "(10110)invalid param msgBody: is not valid percent-encoded UTF-8",
      });
    }
    expect(await accountSnapshot(api)).toEqual(before);
  });
});

test.describe("what a message body may contain", () => {
  test("any Unicode text but NUL round-trips exactly through REST and CMQ; binary travels as base64", async ({
    api,
    cmq,
  }) => {
    const q = await newQueue(api);
    const binary = Buffer.from(Array.from({ length: 256 }, (_, i) => i)); // every byte value, NUL included
    const bodies = [
      "controls \u0001\u0007\t\r\n\u001f\u007f\u0080\u009f",
      "é 中文 😀 \ud83d\ude00 \ufeff \ufffd \uffff \u{10ffff}",
      "form characters + & = % %zz ; #",
      binary.toString("base64"),
    ];
    const viaRest = await api.post(`/api/v1/queues/${q}/messages`, {
      data: { messages: bodies.map((body) => ({ body })) },
    });
    expect(viaRest.status()).toBe(201);
    await cmq.batchSendMessage(q, bodies);
    const restReceived = await (
      await api.post(`/api/v1/queues/${q}/messages/receive`, { data: { max: 4, waitSeconds: 0 } })
    ).json();
    expect(restReceived.messages.map((m: { body: string }) => m.body)).toEqual(bodies);
    const cmqReceived = await cmq.batchReceiveMessage(q, 4, 0);
    expect(cmqReceived.map((m) => m.msgBody)).toEqual(bodies);
    expect(Buffer.from(cmqReceived[3]?.msgBody ?? "", "base64")).toEqual(binary);

    // The same bytes sent raw are refused on both APIs: binary must be encoded by the client.
    const raw = binary.toString("latin1");
    const rest = await api.post(`/api/v1/queues/${q}/messages`, { data: { messages: [{ body: raw }] } });
    expect(rest.status()).toBe(400);
    expect((await cmq.call("SendMessage", { queueName: q, msgBody: raw })).code).toBe(4000);
  });
});
