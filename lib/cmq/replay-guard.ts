// Replay protection: the signatures accepted recently, each until its request's Timestamp leaves
// the window, in a fixed-size open-addressed table. A signature is an HMAC, so 52 of its bits are
// already a uniform hash and identify it (a false "replay" among a million live entries has odds
// of about 1 in 4·10⁹). 2²¹ slots × 12 bytes = 24 MiB at most, whatever the traffic (an LRU of
// strings measured 149 MiB for 1 M entries), holding ~1.4 M live signatures: a sustained 2,300
// signed requests/s over the whole ±300 s window. A live entry is never dropped to make room;
// when no slot is free near its home the request is refused instead (the caller answers THROTTLED).

const slotBits = 21;
const slots = 1 << slotBits;
const maxProbes = 64;

export type ReplayGuard = { ids: Float64Array; expiries: Uint32Array };

export function createReplayGuard(size = slots): ReplayGuard {
  // Zero-filled pages are only touched as they are used, so an idle process pays almost nothing.
  return { ids: new Float64Array(size), expiries: new Uint32Array(size) };
}

/** 52 bits of the signature as a positive integer (0 marks an empty slot, so it is never used). */
export function signatureId(signature: string): number {
  const bytes = Buffer.from(signature, "base64");
  if (bytes.length < 7) return 1;
  return bytes.readUIntBE(0, 6) * 16 + ((bytes[6] ?? 0) >> 4) || 1;
}

/**
 * Records the signature until `expiresAt` (unix seconds). "replay" when it is already recorded and
 * live; "full" when no slot near its home is free or expired.
 */
export function rememberSignature(
  guard: ReplayGuard,
  signature: string,
  expiresAt: number,
  now: number,
): "ok" | "replay" | "full" {
  const id = signatureId(signature);
  const mask = guard.ids.length - 1;
  let free = -1;
  for (let probe = 0, i = id % guard.ids.length; probe < maxProbes; probe++, i = (i + 1) & mask) {
    const slotId = guard.ids[i];
    const isLive = (guard.expiries[i] ?? 0) >= now;
    if (slotId === id && isLive) return "replay";
    if (free < 0 && (slotId === 0 || !isLive)) free = i;
    if (slotId === 0) break; // the end of this run: the id is nowhere further on
  }
  if (free < 0) return "full";
  guard.ids[free] = id;
  guard.expiries[free] = expiresAt;
  return "ok";
}
