import { isIP } from "node:net";

// Which addresses a push may connect to (SSRF guard). With OPENCMQ_PUSH_ALLOW_PRIVATE off (the
// default) an endpoint may not reach the installation's own network: loopback, private, link-local
// (including the cloud metadata address 169.254.169.254), unspecified, multicast, reserved ranges,
// and IPv6 forms that embed such an IPv4 address (::ffff:127.0.0.1, ::127.0.0.1, 64:ff9b::7f00:1,
// 2002:7f00:1::). The check runs on the address a socket is about to connect to (lib/push/send.ts
// gives the HTTP agent a `lookup` that checks what DNS answered, and checks IP literals itself), so
// a hostname that resolves to a public address once and to 127.0.0.1 the next time cannot slip by.

export type AddressPolicy = {
  allowPrivate: boolean;
  /**
   * Tests only: exact address:port pairs allowed although private (a local receiver that redirects
   * to another loopback port must itself be reachable while the redirect's target is refused).
   */
  allowExactly?: ReadonlyArray<{ address: string; port: number }>;
};

type Range = { bytes: number[]; bits: number; kind: string };

const v4Ranges: Array<[string, number, string]> = [
  ["0.0.0.0", 8, "unspecified"],
  ["10.0.0.0", 8, "private"],
  ["100.64.0.0", 10, "shared (carrier-grade NAT)"],
  ["127.0.0.0", 8, "loopback"],
  ["169.254.0.0", 16, "link-local"],
  ["172.16.0.0", 12, "private"],
  ["192.0.0.0", 24, "reserved"],
  ["192.168.0.0", 16, "private"],
  ["198.18.0.0", 15, "reserved (benchmarking)"],
  ["224.0.0.0", 4, "multicast"],
  ["240.0.0.0", 4, "reserved"],
];

const v6Ranges: Array<[string, number, string]> = [
  ["::", 128, "unspecified"],
  ["::1", 128, "loopback"],
  ["fc00::", 7, "private (unique local)"],
  ["fe80::", 10, "link-local"],
  ["fec0::", 10, "site-local"],
  ["ff00::", 8, "multicast"],
];

const parsedV4 = v4Ranges.map(([address, bits, kind]): Range => ({ bytes: ipv4Bytes(address), bits, kind }));
const parsedV6 = v6Ranges.map(([address, bits, kind]): Range => ({ bytes: ipv6Bytes(address), bits, kind }));

function ipv4Bytes(address: string): number[] {
  return address.split(".").map(Number);
}

/** The 16 bytes of an IPv6 address (zone id dropped; a trailing dotted IPv4 part accepted). */
export function ipv6Bytes(address: string): number[] {
  let text = address.toLowerCase().replace(/^\[|\]$/g, "");
  const zone = text.indexOf("%");
  if (zone >= 0) text = text.slice(0, zone);
  const words: number[] = [];
  const parseWords = (part: string) => {
    if (part === "") return [];
    const out: number[] = [];
    for (const piece of part.split(":")) {
      if (piece.includes(".")) {
        const [a = 0, b = 0, c = 0, d = 0] = ipv4Bytes(piece);
        out.push((a << 8) | b, (c << 8) | d);
      } else out.push(Number.parseInt(piece, 16));
    }
    return out;
  };
  const [head = "", tail] = text.split("::");
  const headWords = parseWords(head);
  const tailWords = tail === undefined ? [] : parseWords(tail);
  words.push(...headWords);
  if (tail !== undefined) for (let i = headWords.length + tailWords.length; i < 8; i++) words.push(0);
  words.push(...tailWords);
  return words.flatMap((w) => [(w >> 8) & 0xff, w & 0xff]);
}

function inRange(bytes: number[], range: Range): boolean {
  let bits = range.bits;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((bytes[i] ?? 0) & mask) !== ((range.bytes[i] ?? 0) & mask)) return false;
  }
  return true;
}

/** The IPv4 address an IPv6 address stands for, if it embeds one (mapped, compatible, NAT64, 6to4). */
function embeddedIpv4(bytes: number[]): number[] | undefined {
  const zeros = (from: number, to: number) => bytes.slice(from, to).every((b) => b === 0);
  if (zeros(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return bytes.slice(12); // ::ffff:a.b.c.d
  if (zeros(0, 12) && !zeros(12, 16) && !(zeros(12, 15) && bytes[15] === 1)) return bytes.slice(12); // ::a.b.c.d
  if (bytes[0] === 0x00 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b && zeros(4, 12)) {
    return bytes.slice(12); // 64:ff9b::a.b.c.d (NAT64)
  }
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return bytes.slice(2, 6); // 2002:AABB:CCDD::/48 (6to4)
  return undefined;
}

const notAnAddress = "not an IP address";

/** What kind of internal address this is ("loopback", "private", …), or null for a public one. */
export function internalAddressKind(address: string): string | null {
  const family = isIP(address.replace(/^\[|\]$/g, "").replace(/%.*$/, ""));
  if (family === 4) return parsedV4.find((range) => inRange(ipv4Bytes(address), range))?.kind ?? null;
  if (family !== 6) return notAnAddress;
  const bytes = ipv6Bytes(address);
  const v4 = embeddedIpv4(bytes);
  if (v4) return parsedV4.find((range) => inRange(v4, range))?.kind ?? null;
  return parsedV6.find((range) => inRange(bytes, range))?.kind ?? null;
}

/** Why a push may not connect to address:port under the policy, or null if it may. */
export function refusalOf(address: string, port: number, policy: AddressPolicy): string | null {
  if (policy.allowPrivate) return null;
  const kind = internalAddressKind(address);
  if (kind === null) return null;
  const bare = address.replace(/^\[|\]$/g, "");
  if (policy.allowExactly?.some((allowed) => allowed.address === bare && allowed.port === port)) return null;
  const what = kind === notAnAddress ? kind : `${/^[aeiou]/.test(kind) ? "an" : "a"} ${kind} address`;
  return `refused: ${bare} is ${what} (OPENCMQ_PUSH_ALLOW_PRIVATE is off)`;
}
