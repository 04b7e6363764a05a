import { createHmac } from "node:crypto";

// CMQ's request signature (reference/cmq-api.md §2): HMAC over
//   METHOD + host + path + "?" + sorted "name=value" pairs (raw values, "_" in names → ".")
// with SHA256 when SignatureMethod is HmacSHA256, else SHA1; base64. Shared by the server's
// verification and the TypeScript client, so both sign exactly alike.

export type SignatureMethod = "HmacSHA1" | "HmacSHA256";

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
