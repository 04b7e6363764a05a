import { randomBytes } from "node:crypto";
import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { settings } from "@/lib/config";
import { singleton } from "@/lib/singleton";
import { resolveClientAddress } from "./trusted-proxies";

// Route handlers never see the socket: Next hands them a Request, and `next start` only fills in
// X-Forwarded-For when the client sent none (so a client can claim any address). So, as each
// request arrives, the HTTP server's diagnostics channel stamps it with the resolved client address
// in a header of our own, prefixed by a per-process secret: a client can send that header too, but
// cannot forge the secret, so a value without it (say, on a request that arrived before the stamp
// was installed) is ignored.

const stampHeader = "x-opencmq-client-address";
const stamp = singleton("clientAddressStamp", () => ({ secret: randomBytes(16).toString("hex"), installed: false }));

/** Installs the stamp (once per process, from instrumentation.ts). */
export function installClientAddressStamp(): void {
  if (stamp.installed) return;
  stamp.installed = true;
  const proxies = settings().trustedProxies;
  subscribe("http.server.request.start", (message) => {
    const { request, socket } = message as { request: IncomingMessage; socket: Socket };
    const forwarded = request.headers["x-forwarded-for"];
    const address = resolveClientAddress(
      socket.remoteAddress,
      Array.isArray(forwarded) ? forwarded.join(",") : forwarded,
      proxies,
    );
    request.headers[stampHeader] = `${stamp.secret} ${address ?? ""}`;
  });
}

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

/** The client's address for throttling and audit, or undefined when it is not known. */
export function clientAddress(headers: HeaderSource): string | undefined {
  const raw = headers instanceof Headers ? headers.get(stampHeader) : headers[stampHeader];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value?.startsWith(`${stamp.secret} `)) return undefined;
  return value.slice(stamp.secret.length + 1) || undefined;
}
