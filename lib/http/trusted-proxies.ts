import { BlockList, isIP } from "node:net";

// Which peer addresses may tell us, through X-Forwarded-For, whom they forward for.
// OPENCMQ_TRUSTED_PROXIES: comma-separated IPs or CIDRs ("10.0.0.0/8, 127.0.0.1, ::1"); empty by
// default, so X-Forwarded-For is ignored and the socket's address is the client's.

export type TrustedProxies = { list: BlockList; isEmpty: boolean };

/** Parses the setting; an entry that is neither an IP nor a CIDR is an error, not silently skipped. */
export function parseTrustedProxies(text: string | undefined): TrustedProxies {
  const list = new BlockList();
  const entries = (text ?? "")
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean);
  for (const entry of entries) {
    const [address = "", prefix] = entry.split("/");
    const family = isIP(address);
    if (family === 0) throw new Error(`"${entry}" is not an IP address or CIDR`);
    const type = family === 4 ? "ipv4" : "ipv6";
    if (prefix === undefined) {
      list.addAddress(address, type);
      continue;
    }
    const bits = Number(prefix);
    if (!/^\d{1,3}$/.test(prefix) || bits > (family === 4 ? 32 : 128)) {
      throw new Error(`"${entry}" has an invalid prefix length`);
    }
    list.addSubnet(address, bits, type);
  }
  return { list, isEmpty: entries.length === 0 };
}

/** "::ffff:10.0.0.1" (an IPv4 peer on a dual-stack socket) → "10.0.0.1"; anything else unchanged. */
export function normalizeAddress(address: string): string {
  const trimmed = address.trim();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(trimmed);
  return mapped?.[1] ?? trimmed;
}

export function isTrusted(proxies: TrustedProxies, address: string): boolean {
  if (proxies.isEmpty) return false;
  const family = isIP(address);
  return family !== 0 && proxies.list.check(address, family === 4 ? "ipv4" : "ipv6");
}

/**
 * The client's address: the socket's, unless the socket's peer is a trusted proxy; then
 * X-Forwarded-For is read from the right (each proxy appends the address it saw), skipping
 * trusted proxies, and the first address no trusted proxy vouches for is the client's.
 */
export function resolveClientAddress(
  peer: string | undefined,
  forwardedFor: string | undefined,
  proxies: TrustedProxies,
): string | undefined {
  if (!peer) return undefined;
  let client = normalizeAddress(peer);
  if (!forwardedFor) return client;
  const hops = forwardedFor.split(",").map(normalizeAddress).filter(Boolean);
  while (isTrusted(proxies, client)) {
    const hop = hops.pop();
    if (!hop || isIP(hop) === 0) break; // a garbled entry: stop at the last address we can vouch for
    client = hop;
  }
  return client;
}
