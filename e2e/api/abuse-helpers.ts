import { readFileSync } from "node:fs";
import http from "node:http";
import { hmacBase64, stringToSign } from "@/lib/cmq/signature";
import type { Owner } from "../fixtures";

export type RawResponse = { status: number; headers: http.IncomingHttpHeaders; body: string; bytesSent: number };

/**
 * POSTs a chunked body (no Content-Length) of `totalBytes`, or one that never ends; stops writing
 * as soon as the server answers or closes. `timeoutMs` bounds the whole exchange.
 */
export function postChunked(
  url: string,
  options: { totalBytes?: number; headers?: Record<string, string>; chunk?: Buffer; timeoutMs: number },
): Promise<RawResponse | "no answer"> {
  const chunk = options.chunk ?? Buffer.alloc(64 * 1024, "a");
  return new Promise((resolve) => {
    let bytesSent = 0;
    let settled = false;
    const finish = (value: RawResponse | "no answer") => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(value);
    };
    const req = http.request(url, { method: "POST", headers: { ...options.headers } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => {
        body += d;
      });
      res.on("end", () => finish({ status: res.statusCode ?? 0, headers: res.headers, body, bytesSent }));
      res.on("error", () => finish("no answer"));
    });
    req.on("error", () => finish("no answer"));
    const timer = setTimeout(() => finish("no answer"), options.timeoutMs);
    const write = () => {
      while (!settled) {
        if (options.totalBytes !== undefined && bytesSent >= options.totalBytes) {
          req.end();
          return;
        }
        bytesSent += chunk.length;
        if (!req.write(chunk)) {
          req.once("drain", write);
          return;
        }
      }
    };
    if (options.totalBytes === undefined && options.chunk === undefined) {
      // A never-ending body: a first byte, then silence.
      req.write("a");
    } else {
      write();
    }
  });
}

/** Resident memory of a process, in MiB (Linux). */
export function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((l) => l.startsWith("VmRSS:"));
  return Math.round(Number(line?.replace(/\D/g, "")) / 1024);
}

/** A signed CMQ form (HmacSHA1), for requests that need their own headers. */
export function signedForm(baseURL: string, owner: Owner, action: string, extra: Record<string, string> = {}) {
  const host = new URL(baseURL).host;
  const params: [string, string][] = Object.entries({
    Action: action,
    SecretId: owner.secretId,
    Timestamp: String(Math.floor(Date.now() / 1000)),
    Nonce: String(Math.floor(Math.random() * 2 ** 31)),
    SignatureMethod: "HmacSHA1",
    ...extra,
  });
  const text = stringToSign({ method: "POST", host, path: "/v2/index.php", params });
  params.push(["Signature", hmacBase64(text, owner.secretKey, "HmacSHA1")]);
  return new URLSearchParams(params).toString();
}
