import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import { isIP, type LookupFunction, type Socket } from "node:net";
import { type AddressPolicy, refusalOf } from "./address-guard";

// One push attempt over HTTP(S): POST, answer read bounded, one deadline for everything (connect,
// redirects, the answer), the SSRF guard on every address a socket connects to.
//
// Redirects: 307 and 308 (the ones that keep a POST a POST) are followed, at most `maxRedirects`
// hops, each hop's address checked like the first; any other 3xx is a failed attempt (a 301/302/303
// would turn the push into a GET that delivers nothing).

export type PushOutcome = {
  /** the final answer's status; null when none arrived (refused, timeout, connection error) */
  httpStatus: number | null;
  /** why the attempt failed; null on a 2xx */
  error: string | null;
  /** from the first connect until the final answer was read (or the attempt failed) */
  latencyMs: number;
};

export type SendOptions = {
  timeoutMs: number;
  policy: AddressPolicy;
  agents: PushAgents;
  maxRedirects?: number;
};

export type PushAgents = { http: http.Agent; https: https.Agent };

/** Keep-alive agents (a socket is reused only for the host and port it was checked for). */
export function createPushAgents(maxSockets: number): PushAgents {
  const options = { keepAlive: true, maxSockets, maxFreeSockets: 64, timeout: 4000, scheduling: "lifo" as const };
  return { http: new http.Agent(options), https: new https.Agent(options) };
}

export const defaultMaxRedirects = 3;
/** Answer bytes read at most; beyond them the connection is dropped (never buffered). */
export const maxAnswerBytes = 64 * 1024;
/** Of a non-2xx answer, this much of the body is kept in the attempt's error. */
const snippetChars = 200;

class PushRefusal extends Error {}

type Answer = { status: number; location: string | undefined; snippet: string };

export async function sendPush(
  target: string,
  payload: { body: string; headers: Record<string, string> },
  options: SendOptions,
): Promise<PushOutcome> {
  const started = performance.now();
  const latencyMs = () => Math.round(performance.now() - started);
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), options.timeoutMs);
  const maxRedirects = options.maxRedirects ?? defaultMaxRedirects;
  try {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      return { httpStatus: null, error: "invalid endpoint URL", latencyMs: latencyMs() };
    }
    for (let hop = 0; ; hop++) {
      let answer: Answer;
      try {
        answer = await postOnce(url, payload, options, deadline.signal);
      } catch (error) {
        const message = deadline.signal.aborted
          ? `timed out after ${options.timeoutMs} ms`
          : error instanceof Error
            ? error.message
            : String(error);
        return {
          httpStatus: null,
          error: hop > 0 ? `redirect to ${url.href}: ${message}` : message,
          latencyMs: latencyMs(),
        };
      }
      const { status } = answer;
      if (status >= 200 && status < 300) return { httpStatus: status, error: null, latencyMs: latencyMs() };
      if ((status === 307 || status === 308) && answer.location !== undefined) {
        if (hop >= maxRedirects) {
          return { httpStatus: status, error: `more than ${maxRedirects} redirects`, latencyMs: latencyMs() };
        }
        try {
          url = new URL(answer.location, url);
        } catch {
          return { httpStatus: status, error: "redirect to an invalid URL", latencyMs: latencyMs() };
        }
        continue;
      }
      const why =
        status >= 300 && status < 400
          ? `HTTP ${status}: redirect not followed (only 307 and 308 keep the POST)`
          : `HTTP ${status}${answer.snippet ? `: ${answer.snippet}` : ""}`;
      return { httpStatus: status, error: why, latencyMs: latencyMs() };
    }
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A `lookup` for the agent: resolves as usual, then refuses if any address DNS answered is one the
 * policy forbids — the socket connects only to an address this function returned, so what is checked
 * is what is connected to.
 */
function guardedLookup(port: number, policy: AddressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      // The callback's overloads (one address or all of them) cannot be expressed to TypeScript.
      const reply = callback as (error: Error | null, address?: unknown, family?: number) => void;
      if (error) return reply(error);
      const first = addresses[0];
      if (!first) return reply(new Error(`${hostname} has no address`));
      for (const { address } of addresses) {
        const refusal = refusalOf(address, port, policy);
        if (refusal) return reply(new PushRefusal(`${hostname} resolves to ${address}; ${refusal}`));
      }
      if (options.all) reply(null, addresses);
      else reply(null, first.address, first.family);
    });
  };
}

function postOnce(
  url: URL,
  payload: { body: string; headers: Record<string, string> },
  options: SendOptions,
  signal: AbortSignal,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const isHttps = url.protocol === "https:";
    if (!isHttps && url.protocol !== "http:") return reject(new PushRefusal(`unsupported scheme ${url.protocol}`));
    const host = url.hostname.replace(/^\[|\]$/g, "");
    const port = Number(url.port) || (isHttps ? 443 : 80);
    if (isIP(host)) {
      const refusal = refusalOf(host, port, options.policy);
      if (refusal) return reject(new PushRefusal(refusal));
    }
    const request = (isHttps ? https : http).request({
      protocol: url.protocol,
      hostname: host,
      port,
      path: `${url.pathname}${url.search}`,
      method: "POST",
      auth: url.username ? `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` : undefined,
      headers: { ...payload.headers, "content-length": String(Buffer.byteLength(payload.body)) },
      agent: isHttps ? options.agents.https : options.agents.http,
      lookup: guardedLookup(port, options.policy),
      signal,
    });
    // Belt and braces: whatever path led to the connection, the peer it reached is checked before
    // the request is written (the lookup above already refused every address it returned).
    request.on("socket", (socket: Socket) => {
      const check = () => {
        const refusal = socket.remoteAddress ? refusalOf(socket.remoteAddress, port, options.policy) : null;
        if (refusal) request.destroy(new PushRefusal(refusal));
      };
      if (socket.remoteAddress) check();
      else socket.once("connect", check);
    });
    request.on("error", reject);
    request.on("response", (response) => {
      const status = response.statusCode ?? 0;
      const location = typeof response.headers.location === "string" ? response.headers.location : undefined;
      let received = 0;
      let snippet = "";
      let settled = false;
      const settle = () => {
        if (settled) return;
        settled = true;
        resolve({ status, location, snippet: snippet.replace(/\s+/g, " ").trim().slice(0, snippetChars) });
      };
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        received += Buffer.byteLength(chunk);
        if (snippet.length < snippetChars) snippet += chunk.slice(0, snippetChars);
        if (received > maxAnswerBytes) {
          settle();
          response.destroy(); // the rest is not read; the socket is not reused
        }
      });
      response.on("end", settle);
      response.on("close", settle);
      response.on("error", settle);
    });
    request.end(payload.body);
  });
}
