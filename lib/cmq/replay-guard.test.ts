import { createHmac, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createReplayGuard, rememberSignature } from "./replay-guard";

const signature = () => createHmac("sha1", "key").update(randomBytes(16)).digest("base64");

describe("replay guard", () => {
  it("refuses a replayed signature while its Timestamp is in the window, and only then", () => {
    const guard = createReplayGuard(1024);
    const s = signature();
    expect(rememberSignature(guard, s, 1300, 1000)).toBe("ok");
    expect(rememberSignature(guard, s, 1300, 1000)).toBe("replay");
    expect(rememberSignature(guard, s, 1300, 1300)).toBe("replay");
    expect(rememberSignature(guard, s, 1601, 1301)).toBe("ok"); // expired, so a new request may reuse it
  });

  it("never forgets a live signature to make room: when full it refuses, and recovers as entries expire", () => {
    // 64 slots: no more than the probes a lookup takes, so every free slot is within reach.
    const guard = createReplayGuard(64);
    const accepted: string[] = [];
    let full = 0;
    for (let i = 0; i < 100; i++) {
      const s = signature();
      const outcome = rememberSignature(guard, s, 2000, 1000);
      if (outcome === "ok") accepted.push(s);
      if (outcome === "full") full++;
    }
    expect(accepted.length).toBe(64);
    expect(full).toBe(36);
    for (const s of accepted) expect(rememberSignature(guard, s, 2000, 1000)).toBe("replay");
    // Once those expire, new signatures fit again.
    expect(rememberSignature(guard, signature(), 2500, 2001)).toBe("ok");
  });
});
