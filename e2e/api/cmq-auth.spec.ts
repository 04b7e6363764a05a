import { randomInt } from "node:crypto";
import { CmqClient } from "@/lib/cmq/client";
import { hmacBase64, stringToSign } from "@/lib/cmq/signature";
import { expect, type Owner, test, uniqueName } from "../fixtures";

type Signed = { params: [string, string][]; host: string };

/** Builds a signed CMQ request by hand so tests can tamper with any part of it. */
function sign(
  owner: Owner,
  baseURL: string,
  action: string,
  extra: Record<string, string>,
  options: {
    method?: string;
    path?: string;
    timestamp?: number;
    nonce?: number;
    signatureMethod?: string;
    omitAt?: boolean;
    key?: string;
  } = {},
): Signed {
  const host = new URL(baseURL).host;
  const params: [string, string][] = Object.entries({
    Action: action,
    SecretId: owner.secretId,
    Timestamp: String(options.timestamp ?? Math.floor(Date.now() / 1000)),
    Nonce: String(options.nonce ?? randomInt(1, 2 ** 31 - 1)),
    SignatureMethod: options.signatureMethod ?? "HmacSHA1",
    ...extra,
  });
  const text = stringToSign({
    method: options.method ?? "POST",
    host,
    path: options.path ?? "/v2/index.php",
    params,
    omitAtValues: options.omitAt,
  });
  params.push(["Signature", hmacBase64(text, options.key ?? owner.secretKey, options.signatureMethod)]);
  return { params, host };
}

const form = (params: [string, string][]) => new URLSearchParams(params).toString();

test.describe("CMQ signature and transport", () => {
  test("SHA1 and SHA256, GET and POST, at /v2/index.php and /", async ({ owner, baseURL, cmq }) => {
    const q = uniqueName("sig");
    await cmq.createQueue(q);
    for (const signatureMethod of ["HmacSHA1", "HmacSHA256"] as const) {
      for (const method of ["POST", "GET"] as const) {
        for (const path of ["/v2/index.php", "/"]) {
          const client = new CmqClient({
            endpoint: String(baseURL),
            secretId: owner.secretId,
            secretKey: owner.secretKey,
            method,
            path,
            signatureMethod,
          });
          const label = `${signatureMethod} ${method} ${path}`;
          expect((await client.sendMessage(q, label)).code, label).toBe(0);
          const got = await client.receiveMessage(q, 0);
          expect(got?.msgBody, label).toBe(label);
          expect((await client.deleteMessage(q, got?.receiptHandle ?? "")).code, label).toBe(0);
        }
      }
    }
  });

  test("tampered, wrong key, stale, replayed, unknown or malformed credentials execute nothing", async ({
    owner,
    baseURL,
    request,
    cmq,
  }) => {
    const base = String(baseURL);
    const q = uniqueName("guarded");
    await cmq.createQueue(q);
    const post = (params: [string, string][], path = "/v2/index.php") =>
      request.post(`${base}${path}`, {
        data: form(params),
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });
    const expectRefused = async (params: [string, string][], code: number, module: string, path?: string) => {
      const res = await post(params, path);
      expect(res.status()).toBe(200);
      const body = await res.json();
      expect(body.code).toBe(code);
      expect(body.message.startsWith(`(${module})`)).toBe(true);
      expect(typeof body.requestId).toBe("string");
    };

    const tampered = sign(owner, base, "SendMessage", { queueName: q, msgBody: "original" });
    await expectRefused(
      tampered.params.map(([k, v]) => [k, k === "msgBody" ? "changed" : v]),
      4100,
      "10030",
    );
    await expectRefused(
      sign(owner, base, "SendMessage", { queueName: q, msgBody: "x" }, { key: "wrong-key" }).params,
      4100,
      "10030",
    );
    await expectRefused(
      sign(
        owner,
        base,
        "SendMessage",
        { queueName: q, msgBody: "x" },
        { timestamp: Math.floor(Date.now() / 1000) - 301 },
      ).params,
      4100,
      "10030",
    );
    await expectRefused(
      sign(
        owner,
        base,
        "SendMessage",
        { queueName: q, msgBody: "x" },
        // Well past the window: the server's clock may tick over a second before the request arrives.
        { timestamp: Math.floor(Date.now() / 1000) + 310 },
      ).params,
      4100,
      "10030",
    );
    await expectRefused(
      sign(owner, base, "SendMessage", { queueName: q, msgBody: "x" }, { path: "/" }).params,
      4100,
      "10030",
    );
    await expectRefused(
      sign({ ...owner, secretId: "AKIDunknown0000000000000000000000" }, base, "SendMessage", {
        queueName: q,
        msgBody: "x",
      }).params,
      4100,
      "10270",
    );
    await expectRefused(
      sign({ ...owner, secretId: "XYZ123" }, base, "SendMessage", { queueName: q, msgBody: "x" }).params,
      4000,
      "10450",
    );
    await expectRefused(
      sign(owner, base, "SendMessage", { queueName: q, msgBody: "x" }).params.filter(([k]) => k !== "Signature"),
      4000,
      "10010",
    );
    await expectRefused(
      sign(owner, base, "SendMessage", { queueName: q, msgBody: "x" }).params.filter(([k]) => k !== "Nonce"),
      4000,
      "10010",
    );
    await expectRefused([["Action", "SendMessage"]], 4000, "10010");

    const once = sign(owner, base, "SendMessage", { queueName: q, msgBody: "once" });
    expect((await (await post(once.params)).json()).code).toBe(0);
    await expectRefused(once.params, 4100, "10030");

    const attrs = await cmq.getQueueAttributes(q);
    expect(attrs.activeMsgNum).toBe(1);
    expect((await cmq.receiveMessage(q, 0))?.msgBody).toBe("once");
  });

  test("unknown and not-yet-supported actions; Action in any case; any Content-Type", async ({
    owner,
    baseURL,
    request,
    cmq,
  }) => {
    const base = String(baseURL);
    const q = uniqueName("actions");
    await cmq.createQueue(q);
    const unknown = await cmq.call("DoSomethingOdd", { queueName: q });
    expect(unknown).toMatchObject({ code: 4000, message: "(10430)action name DoSomethingOdd is not existed" });
    for (const action of ["QueryQueueRoute", "QueryTopicRoute"]) {
      const res = await cmq.call(action, { queueName: q });
      expect(res.code, action).toBe(4000);
      expect(res.message, action).toMatch(/^\(10430\)action name .* is not supported/);
    }
    // Topic actions are served (issue 11): without topicName they name the missing parameter.
    for (const action of ["CreateTopic", "PublishMessage"]) {
      expect(await cmq.call(action, { queueName: q }), action).toMatchObject({
        code: 4000,
        message: "(10010)missing param topicName",
      });
    }
    expect((await cmq.call("sendmessage", { queueName: q, msgBody: "lower" })).code).toBe(0);

    for (const contentType of [undefined, "*/*;charset=utf-8", "text/plain"]) {
      const signed = sign(owner, base, "SendMessage", { queueName: q, msgBody: `ct ${contentType}` });
      const res = await request.post(`${base}/v2/index.php`, {
        data: form(signed.params),
        headers: contentType ? { "content-type": contentType } : {},
      });
      expect((await res.json()).code, String(contentType)).toBe(0);
    }
    // Python and PHP leave '@'-values out of what they sign; both variants are accepted.
    for (const omitAt of [true, false]) {
      const signed = sign(owner, base, "SendMessage", { queueName: q, msgBody: "@mention" }, { omitAt });
      const res = await request.post(`${base}/v2/index.php`, { data: form(signed.params) });
      expect((await res.json()).code, `omitAt=${omitAt}`).toBe(0);
    }
    // The Go SDK sends clientRequestId and decodes the echo as a uint64: a JSON number, every digit kept.
    const withId = sign(owner, base, "SendMessage", {
      queueName: q,
      msgBody: "go",
      clientRequestId: "18446744073709551615",
    });
    const raw = await (await request.post(`${base}/v2/index.php`, { data: form(withId.params) })).text();
    expect(raw).toContain('"clientRequestId":18446744073709551615');
    expect(JSON.parse(raw).code).toBe(0);
    const dup = sign(owner, base, "SendMessage", { queueName: q, msgBody: "a" });
    const dupRes = await request.post(`${base}/v2/index.php`, { data: `${form(dup.params)}&msgBody=b` });
    expect((await dupRes.json()).code).toBe(4000);
    const wrongMethod = await request.delete(`${base}/v2/index.php`);
    expect(wrongMethod.status()).toBe(200);
    expect(await wrongMethod.json()).toMatchObject({ code: 4000, message: "(10410)only GET or POST is supported" });
    const tooBig = await request.post(`${base}/v2/index.php`, {
      data: `queueName=${q}&msgBody=${"x".repeat(5 * 1024 * 1024)}`,
    });
    expect((await tooBig.json()).code).toBe(4000);
    const attrs = await cmq.getQueueAttributes(q);
    expect(attrs.activeMsgNum).toBe(7);
  });

  test("a key of another account cannot see this account's queues", async ({ cmq, baseURL }) => {
    const q = uniqueName("mine");
    await cmq.createQueue(q);
    const { createAccountWithOwner } = await import("@/lib/services/accounts");
    const stranger = await createAccountWithOwner({
      accountName: uniqueName("a"),
      email: `${uniqueName("s")}@e2e.test`,
    });
    const other = new CmqClient({
      endpoint: String(baseURL),
      secretId: stranger.secretId,
      secretKey: stranger.secretKey,
    });
    expect((await other.call("SendMessage", { queueName: q, msgBody: "x" })).code).toBe(4440);
    expect((await other.call("GetQueueAttributes", { queueName: q })).code).toBe(4440);
    expect((await other.listQueue()).totalCount).toBe(0);
    expect((await cmq.getQueueAttributes(q)).activeMsgNum).toBe(0);
  });
});
