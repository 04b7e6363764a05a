import { createHmac, timingSafeEqual } from "node:crypto";

// CMQ's request signature (reference/cmq-api.md §2): HMAC over
//   METHOD + host + path + "?" + sorted "name=value" pairs (raw values, "_" in names → ".")
// with SHA256 when SignatureMethod is HmacSHA256, SHA1 when it is HmacSHA1 or absent; base64. Shared by the server's
// verification and the TypeScript client, so both sign exactly alike.

export type SignatureMethod = "HmacSHA1" | "HmacSHA256";
export const signatureMethods: readonly SignatureMethod[] = ["HmacSHA1", "HmacSHA256"];

export const isSignatureMethod = (value: string): value is SignatureMethod =>
  (signatureMethods as readonly string[]).includes(value);

export function stringToSign(options: {
  method: string;
  host: string;
  path: string;
  params: [string, string][];
  /** The Python and PHP SDKs leave out POST parameters whose value starts with "@". */
  omitAtValues?: boolean;
}): string {
  const pairs = options.params
    .filter(([name, value]) => name !== "Signature" && !(options.omitAtValues && value.startsWith("@")))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name.replaceAll("_", ".")}=${value}`);
  return `${options.method.toUpperCase()}${options.host}${options.path}?${pairs.join("&")}`;
}

export function hmacBase64(text: string, secretKey: string, method: string | undefined): string {
  const algorithm = method === "HmacSHA256" ? "sha256" : "sha1";
  return createHmac(algorithm, secretKey).update(text, "utf8").digest("base64");
}

/** Compares a signature in constant time (for signatures of the same length), so timing leaks no prefix. */
export function signaturesEqual(expected: string, given: string): boolean {
  const a = Buffer.from(expected, "utf8");
  const b = Buffer.from(given, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}
