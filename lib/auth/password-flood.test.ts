import { describe, expect, it } from "vitest";
import { isAppError } from "@/lib/errors";
import { hashPassword, maxConcurrentHashes, maxWaitingHashes, verifyPassword } from "./passwords";

describe("password hashing under a flood of logins", () => {
  it("runs a few checks, refuses the excess with THROTTLED at once, and lets admin work wait its turn", async () => {
    const stored = await hashPassword("correct horse battery");
    const outcomes = await Promise.all(
      Array.from({ length: 30 }, () =>
        verifyPassword("wrong password", stored, { whenBusy: "refuse" }).then(
          (ok) => (ok ? "matched" : "checked"),
          (error) => (isAppError(error) ? `${error.code}:${JSON.stringify(error.details)}` : "crashed"),
        ),
      ),
    );
    // A few run, a few more wait: those are checked; the others are refused without hashing.
    const admitted = maxConcurrentHashes + maxWaitingHashes;
    expect(outcomes.filter((o) => o === "checked")).toHaveLength(admitted);
    expect(outcomes.filter((o) => o === 'THROTTLED:{"retryAfterSeconds":2}')).toHaveLength(30 - admitted);
    // Waiting callers are never refused, however many.
    const waited = await Promise.all(
      Array.from({ length: maxWaitingHashes + 1 }, () => verifyPassword("correct horse battery", stored)),
    );
    expect(waited.every(Boolean)).toBe(true);
  });
});
