import { randomInt } from "node:crypto";
import { hmacBase64, stringToSign } from "@/lib/cmq/signature";
import type { Owner } from "./fixtures";

export type RawCmqResponse = { code: number; message: string } & Record<string, unknown>;

/**
 * A signed CMQ POST whose wire form the test chooses. `params` are the values as the server should
 * decode them (they are signed); `wire` replaces the encoded form of some of them with raw bytes —
 * to send what a correct client never would (invalid UTF-8, malformed escapes), signed as a lenient
 * server would have read it, so only the server's parsing stands between the request and a change.
 */
export async function rawCmq(
  baseURL: string,
  owner: Owner,
  params: Record<string, string>,
  wire: Record<string, Buffer | string> = {},
  options: { path?: string; signal?: AbortSignal } = {},
): Promise<RawCmqResponse> {
  const path = options.path ?? "/v2/index.php";
  const entries: [string, string][] = Object.entries({
    Nonce: String(randomInt(1, 2 ** 31 - 1)),
    SecretId: owner.secretId,
    SignatureMethod: "HmacSHA1",
    Timestamp: String(Math.floor(Date.now() / 1000)),
    ...params,
  });
  const host = new URL(baseURL).host;
  const signature = hmacBase64(
    stringToSign({ method: "POST", host, path, params: entries }),
    owner.secretKey,
    "HmacSHA1",
  );
  const encoded = new URLSearchParams([...entries.filter(([name]) => !(name in wire)), ["Signature", signature]]);
  const parts: Buffer[] = [Buffer.from(encoded.toString())];
  for (const [name, value] of Object.entries(wire)) {
    parts.push(Buffer.from(`&${encodeURIComponent(name)}=`), Buffer.isBuffer(value) ? value : Buffer.from(value));
  }
  const response = await fetch(new URL(path, baseURL), {
    method: "POST",
    body: Buffer.concat(parts),
    headers: { "content-type": "application/x-www-form-urlencoded" },
    signal: options.signal,
  });
  if (response.status !== 200) throw new Error(`CMQ endpoint answered HTTP ${response.status}`);
  return (await response.json()) as RawCmqResponse;
}
