import { createHmac, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildPushPayload } from "./payload";
import { signPush, verifyPushSignature } from "./signature";

const input = {
  accountId: "0d9c6c5e-7a43-4c8e-9d61-1c2b3a4d5e6f",
  topicName: "orders",
  subscriptionName: "billing",
  messageId: "42",
  body: 'hello "world"',
  tags: ["a", "b"],
  publishedAt: new Date("2026-12-01T10:00:00.500Z"),
  format: "JSON" as const,
  requestId: "7-1",
  secret: "s3cret",
  nowSeconds: 1_796_119_200,
};

describe("push payload", () => {
  it("JSON: CMQ's body and headers, and a signature over the exact body", () => {
    const { body, headers } = buildPushPayload(input);
    expect(JSON.parse(body)).toEqual({
      TopicOwner: input.accountId,
      topicName: "orders",
      subscriptionName: "billing",
      msgId: "42",
      msgBody: 'hello "world"',
      publishTime: Math.floor(input.publishedAt.getTime() / 1000),
    });
    expect(headers).toEqual({
      "content-type": "text/plain",
      "user-agent": "Qcloud Notification Service Agent",
      "x-cmq-request-id": "7-1",
      "x-cmq-message-id": "42",
      "x-cmq-message-tag": "a,b",
      "x-opencmq-signature": `t=1796119200,v1=${createHmac("sha256", "s3cret").update(`1796119200.${body}`).digest("hex")}`,
    });
  });

  it("SIMPLIFIED: the body as published; no signature without a secret; tags made header-safe", () => {
    const { body, headers } = buildPushPayload({ ...input, format: "SIMPLIFIED", secret: null, tags: ["订单", "x y"] });
    expect(body).toBe('hello "world"');
    expect(headers["x-opencmq-signature"]).toBeUndefined();
    expect(headers["x-cmq-message-tag"]).toBe("%E8%AE%A2%E5%8D%95,x y");
  });

  it("the signature verifies, and fails for another body, secret, time or a malformed header", () => {
    const now = 1_796_119_200;
    const header = signPush("k", "body", now);
    expect(verifyPushSignature("k", "body", header, now)).toBe(true);
    expect(verifyPushSignature("k", "body", header, now + 300)).toBe(true);
    expect(verifyPushSignature("k", "body", header, now + 301)).toBe(false);
    expect(verifyPushSignature("k", "body!", header, now)).toBe(false);
    expect(verifyPushSignature("other", "body", header, now)).toBe(false);
    expect(verifyPushSignature("k", "body", header.replace("t=", "t=1"), now)).toBe(false);
    expect(verifyPushSignature("k", "body", "v1=abc", now)).toBe(false);
    expect(verifyPushSignature("k", "body", undefined, now)).toBe(false);
  });
});

describe("README's verification snippet", () => {
  it("accepts what the worker signs and refuses anything else", () => {
    const readme = readFileSync("README.md", "utf8");
    const section = readme.slice(readme.indexOf("**Verifying the sender.**"));
    const code = /```js\n([\s\S]*?)```/.exec(section)?.[1];
    if (!code) throw new Error("README has no verification snippet");
    // The snippet as a reader pastes it, minus its import (handed in instead).
    const isFromOpenCMQ = new Function(
      "createHmac",
      "timingSafeEqual",
      `${code.replace(/^import .*$/m, "")}\nreturn isFromOpenCMQ;`,
    )(createHmac, timingSafeEqual) as (secret: string, body: string, header: string | undefined) => boolean;
    const { body, headers } = buildPushPayload({ ...input, nowSeconds: Math.floor(Date.now() / 1000) });
    const header = headers["x-opencmq-signature"];
    expect(isFromOpenCMQ("s3cret", body, header)).toBe(true);
    expect(isFromOpenCMQ("s3cret", `${body}x`, header)).toBe(false);
    expect(isFromOpenCMQ("wrong", body, header)).toBe(false);
    expect(isFromOpenCMQ("s3cret", body, undefined)).toBe(false);
    const old = buildPushPayload({ ...input, nowSeconds: Math.floor(Date.now() / 1000) - 301 });
    expect(isFromOpenCMQ("s3cret", old.body, old.headers["x-opencmq-signature"])).toBe(false);
  });
});
