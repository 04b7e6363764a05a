import { afterAll, beforeAll } from "vitest";
import { RECHECK_MS, setRecheckInterval } from "@/lib/services/long-poll";

/**
 * Runs a file's long-poll tests with production's idle re-check (10 s: every app process listens for
 * the others' sends). With the 1 s interval a process gets when nothing listens, the safety net would
 * find a message that a broken wake-up failed to deliver, and the test could not fail.
 */
export function withProductionRecheckInterval(): void {
  beforeAll(() => setRecheckInterval(RECHECK_MS.safetyNet));
  afterAll(() => setRecheckInterval(RECHECK_MS.unannounced));
}
