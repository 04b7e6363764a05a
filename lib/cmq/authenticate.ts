import { keyPrincipal, maxSecretIdLength, resolveApiKey } from "@/lib/auth/key-credentials";
import type { Principal } from "@/lib/auth/principal";
import { AppError } from "@/lib/errors";
import { singleton } from "@/lib/singleton";
import { cmqErrors } from "./errors";
import type { CmqParams } from "./params";
import { createReplayGuard, rememberSignature } from "./replay-guard";
import { hmacBase64, isSignatureMethod, signaturesEqual, stringToSign } from "./signature";

/**
 * Requests are accepted when their Timestamp is within this many seconds of the server's clock,
 * either way. Within the window a request is accepted once: a replay (same signature) is refused.
 */
export const timestampWindowSeconds = 300;

// Replay protection, per process: see replay-guard.ts (bounded at 24 MiB, never forgets a live one).
const seen = singleton("cmqReplayGuard", () => createReplayGuard());

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
  const outcome = rememberSignature(seen, signature, timestamp + timestampWindowSeconds, now);
  if (outcome === "replay") throw cmqErrors.authFailed("this request was already received (replayed Nonce)");
  if (outcome === "full") {
    throw new AppError("THROTTLED", "Too many signed requests in the Timestamp window; retry in a few seconds.");
  }
}
