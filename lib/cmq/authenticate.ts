import { keyPrincipal, resolveApiKey } from "@/lib/auth/api-keys";
import type { Principal } from "@/lib/auth/principal";
import { singleton } from "@/lib/singleton";
import { cmqErrors } from "./errors";
import type { CmqParams } from "./params";
import { hmacBase64, stringToSign } from "./signature";

/**
 * Requests are accepted when their Timestamp is within this many seconds of the server's clock,
 * either way. Within the window a request is accepted once: a replay (same signature) is refused.
 */
export const timestampWindowSeconds = 300;
const maxRememberedSignatures = 2_000_000;

type Seen = { bySecond: Map<number, Set<string>>; size: number; prunedAt: number };
const seen = singleton<Seen>("cmqSeenSignatures", () => ({ bySecond: new Map(), size: 0, prunedAt: 0 }));

export type SignedRequest = { method: string; hosts: string[]; path: string; params: CmqParams };

/** Verifies SecretId, Timestamp, Nonce and Signature (§2); returns the key's principal. */
export async function authenticateCmq(request: SignedRequest): Promise<Principal> {
  const { params } = request;
  const secretId = params.string("SecretId");
  if (!secretId.startsWith("AKID")) throw cmqErrors.secretIdFormat();
  const signature = params.string("Signature");
  const timestamp = params.int("Timestamp");
  params.string("Nonce");
  const now = Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > timestampWindowSeconds) {
    throw cmqErrors.authFailed(`Timestamp is more than ${timestampWindowSeconds} s away from the server's clock`);
  }
  const key = await resolveApiKey(secretId);
  if (!key) throw cmqErrors.secretIdUnknown();

  const method = params.optionalString("SignatureMethod");
  const variants = request.method === "POST" ? [false, true] : [false];
  const matches = request.hosts.some((host) =>
    variants.some(
      (omitAtValues) =>
        hmacBase64(
          stringToSign({ method: request.method, host, path: request.path, params: params.entries, omitAtValues }),
          key.secretKey,
          method,
        ) === signature,
    ),
  );
  if (!matches) throw cmqErrors.authFailed("signature mismatch");
  rememberOnce(timestamp, signature, now);
  const principal = await keyPrincipal(key);
  if (!principal) throw cmqErrors.secretIdUnknown();
  return principal;
}

// Replay protection, per process: signatures seen, bucketed by their request's Timestamp and
// forgotten once that Timestamp leaves the window.
function rememberOnce(timestamp: number, signature: string, now: number) {
  if (seen.prunedAt !== now || seen.size > maxRememberedSignatures) {
    seen.prunedAt = now;
    for (const [second, set] of seen.bySecond) {
      if (second >= now - timestampWindowSeconds && seen.size <= maxRememberedSignatures) continue;
      seen.size -= set.size;
      seen.bySecond.delete(second);
    }
  }
  let bucket = seen.bySecond.get(timestamp);
  if (!bucket) {
    bucket = new Set();
    seen.bySecond.set(timestamp, bucket);
  }
  if (bucket.has(signature)) throw cmqErrors.authFailed("this request was already received (replayed Nonce)");
  bucket.add(signature);
  seen.size++;
}
