import { randomInt } from "node:crypto";
import { indexed } from "@/lib/cmq/client";
import { hmacBase64, stringToSign } from "@/lib/cmq/signature";
import type { HttpClient } from "./http";

// CMQ action calls for the load generator: signed exactly as lib/cmq/client.ts (and Tencent's
// SDKs) sign them — same stringToSign and HMAC — but sent over the bench's keep-alive node:http
// client instead of fetch, so the load generator's own CPU per request stays small.

export type CmqResult = { code: number; message?: string } & Record<string, unknown>;
export type CmqCaller = (action: string, params: Record<string, string | number>) => Promise<CmqResult>;

export const CMQ_PATH = "/v2/index.php";

export function createCmqCaller(options: {
  http: HttpClient;
  /** host:port exactly as the Host header carries it. */
  host: string;
  secretId: string;
  secretKey: string;
}): CmqCaller {
  return async (action, params) => {
    const entries: [string, string][] = Object.entries({
      Action: action,
      Nonce: randomInt(1, 2 ** 31 - 1),
      RequestClient: "OpenCMQ_bench",
      SecretId: options.secretId,
      SignatureMethod: "HmacSHA256",
      Timestamp: Math.floor(Date.now() / 1000),
      ...params,
    }).map(([k, v]) => [k, String(v)]);
    const signature = hmacBase64(
      stringToSign({ method: "POST", host: options.host, path: CMQ_PATH, params: entries }),
      options.secretKey,
      "HmacSHA256",
    );
    const form = new URLSearchParams([...entries, ["Signature", signature]]).toString();
    const res = await options.http.postForm(CMQ_PATH, form);
    if (res.status !== 200) return { code: -res.status, message: `HTTP ${res.status}` };
    return res.json as CmqResult;
  };
}

/** "msgBody.1", "msgBody.2", … (CMQ's array convention). */
export const cmqList = (name: string, values: string[]) => indexed(name, values) as Record<string, string | number>;

/** A short error string for a CMQ answer with a non-zero code. */
export const describeCmq = (r: CmqResult) => `CMQ ${r.code}${r.message ? ` ${String(r.message).slice(0, 80)}` : ""}`;
