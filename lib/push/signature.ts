import { createHmac, timingSafeEqual } from "node:crypto";

// The push signature, so a receiver can tell a push came from this installation and was not altered:
//
//   X-OpenCMQ-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>
//
// The secret is the subscription's own (shown to whoever manages subscriptions); t lets the receiver
// refuse old replays. A receiver verifies exactly as verifyPushSignature does (README → HTTP push).

export const signatureHeader = "x-opencmq-signature";

export function signPush(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac("sha256", secret).update(`${unixSeconds}.${body}`).digest("hex");
  return `t=${unixSeconds},v1=${mac}`;
}

/** A receiver's check: the header's MAC matches and t is within toleranceSeconds of now. */
export function verifyPushSignature(
  secret: string,
  body: string,
  header: string | undefined,
  nowSeconds = Math.floor(Date.now() / 1000),
  toleranceSeconds = 300,
): boolean {
  const fields = new Map((header ?? "").split(",").map((part) => part.trim().split("=", 2) as [string, string]));
  const t = Number(fields.get("t"));
  const given = fields.get("v1") ?? "";
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > toleranceSeconds || !/^[0-9a-f]{64}$/.test(given)) {
    return false;
  }
  const expected = createHmac("sha256", secret).update(`${t}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(given, "hex"));
}
