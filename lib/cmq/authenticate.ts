import { LRUCache } from "lru-cache";
import { keyPrincipal, maxSecretIdLength, resolveApiKey } from "@/lib/auth/api-keys";
import type { Principal } from "@/lib/auth/principal";
import { AppError } from "@/lib/errors";
import { singleton } from "@/lib/singleton";
import { cmqErrors } from "./errors";
import type { CmqParams } from "./params";
import { hmacBase64, isSignatureMethod, signaturesEqual, stringToSign } from "./signature";

/**
 * Requests are accepted when their Timestamp is within this many seconds of the server's clock,
 * either way. Within the window a request is accepted once: a replay (same signature) is refused.
 */
export const timestampWindowSeconds = 300;

// Replay protection, per process: each accepted signature is remembered until its request's
// Timestamp leaves the window. Memory is bounded by the entry count (measured ≈ 100 B an entry,
// so ≈ 100 MB at the cap, against ≈ 170 MB for 2 M entries before). A signature is never
// forgotten early: when the cache is full of live entries, new requests are refused with
// THROTTLED rather than opening a window for replays. 1 M entries hold a sustained
// 1,600 signed requests/s (the whole ±300 s window), above what one process serves.
export const maxRememberedSignatures = 1_000_000;
// 16 base64 characters = 96 bits of the HMAC: collisions are negligible, and the key is half as big.
const rememberedPrefix = 16;
const seen = singleton(
  "cmqSeenSignaturesLru",
  () => new LRUCache<string, true>({ max: maxRememberedSignatures, ttlResolution: 1000, ttlAutopurge: false }),
);
let purgedAt = 0;

export type SignedRequest = { method: string; hosts: string[]; path: string; params: CmqParams };

/** Verifies SecretId, Timestamp, Nonce and Signature (§2); returns the key's principal. */
export async function authenticateCmq(request: SignedRequest): Promise<Principal> {
  const { params } = request;
  const secretId = params.string("SecretId");
  if (!secretId.startsWith("AKID")) throw cmqErrors.secretIdFormat();
  // Checked before any lookup, so a huge SecretId never reaches the key cache or the database.
  if (secretId.length > maxSecretIdLength) throw cmqErrors.secretIdUnknown();
  const signature = params.string("Signature");
  const timestamp = params.int("Timestamp");
  params.string("Nonce");
  const method = params.optionalString("SignatureMethod");
  if (method !== undefined && !isSignatureMethod(method)) {
    throw cmqErrors.badParam("SignatureMethod", "must be HmacSHA1 or HmacSHA256");
  }
  const now = Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > timestampWindowSeconds) {
    throw cmqErrors.authFailed(`Timestamp is more than ${timestampWindowSeconds} s away from the server's clock`);
  }
  const key = await resolveApiKey(secretId);
  if (!key) throw cmqErrors.secretIdUnknown();

  const variants = request.method === "POST" ? [false, true] : [false];
  const matches = request.hosts.some((host) =>
    variants.some((omitAtValues) =>
      signaturesEqual(
        hmacBase64(
          stringToSign({ method: request.method, host, path: request.path, params: params.entries, omitAtValues }),
          key.secretKey,
          method,
        ),
        signature,
      ),
    ),
  );
  if (!matches) throw cmqErrors.authFailed("signature mismatch");
  rememberOnce(signature, timestamp, now);
  const principal = await keyPrincipal(key);
  if (!principal) throw cmqErrors.secretIdUnknown();
  return principal;
}

function rememberOnce(signature: string, timestamp: number, now: number) {
  const id = signature.slice(0, rememberedPrefix);
  if (seen.has(id)) throw cmqErrors.authFailed("this request was already received (replayed Nonce)");
  if (seen.size >= maxRememberedSignatures && now !== purgedAt) {
    purgedAt = now; // a full scan, so at most once a second
    seen.purgeStale();
  }
  if (seen.size >= maxRememberedSignatures) {
    throw new AppError("THROTTLED", "Too many signed requests in the Timestamp window; retry in a few seconds.");
  }
  // +1 s: ttlResolution rounds the clock down to the second.
  seen.set(id, true, { ttl: (timestamp + timestampWindowSeconds - now + 1) * 1000 });
}
