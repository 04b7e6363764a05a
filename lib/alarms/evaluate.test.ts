import { describe, expect, it } from "vitest";
import { describeTransition, isBreached, isNotified, nextState } from "./evaluate";

const at = (seconds: number) => new Date(Date.UTC(2026, 10, 30, 12, 0, seconds));

describe("alarm state machine", () => {
  it("ok → pending when breached with a for duration, → firing at once without one", () => {
    expect(nextState({ state: "ok", stateSince: at(0), forSeconds: 60 }, true, at(1))).toBe("pending");
    expect(nextState({ state: "ok", stateSince: at(0), forSeconds: 0 }, true, at(1))).toBe("firing");
    expect(nextState({ state: "ok", stateSince: at(0), forSeconds: 0 }, false, at(1))).toBeNull();
  });

  it("pending fires only once the condition has held for forSeconds, and clears back to ok", () => {
    const pending = { state: "pending" as const, stateSince: at(0), forSeconds: 30 };
    expect(nextState(pending, true, at(29))).toBeNull();
    expect(nextState(pending, true, at(30))).toBe("firing");
    expect(nextState(pending, false, at(10))).toBe("ok");
  });

  it("firing stays while breached and resolves when it clears", () => {
    const firing = { state: "firing" as const, stateSince: at(0), forSeconds: 30 };
    expect(nextState(firing, true, at(100))).toBeNull();
    expect(nextState(firing, false, at(100))).toBe("ok");
  });

  it("a breach is value > threshold; no value is no breach", () => {
    expect(isBreached(101, 100)).toBe(true);
    expect(isBreached(100, 100)).toBe(false);
    expect(isBreached(1, 0)).toBe(true);
    expect(isBreached(null, 0)).toBe(false);
  });

  it("webhooks go out on firing and on resolving from firing only", () => {
    expect(isNotified("pending", "firing")).toBe(true);
    expect(isNotified("ok", "firing")).toBe(true);
    expect(isNotified("firing", "ok")).toBe(true);
    expect(isNotified("ok", "pending")).toBe(false);
    expect(isNotified("pending", "ok")).toBe(false);
  });

  it("describes transitions in one sentence", () => {
    const rule = { kind: "backlogVisible" as const, threshold: 100, forSeconds: 300 };
    expect(describeTransition(rule, "ok", "pending", 120, "orders")).toBe(
      "Pending: visible messages 120 > 100 on orders; fires after 300 s",
    );
    expect(describeTransition(rule, "pending", "firing", 120, "orders")).toBe(
      "Firing: visible messages 120 > 100 on orders (for 300 s)",
    );
    expect(describeTransition(rule, "firing", "ok", 3, "orders")).toBe("Resolved: visible messages 3 ≤ 100 on orders");
    expect(
      describeTransition({ kind: "pushFailureRate", threshold: 5, forSeconds: 0 }, "firing", "ok", null, "t"),
    ).toBe("Resolved: push failure rate: no data on t");
    expect(
      describeTransition({ kind: "apiErrorRate", threshold: 5, forSeconds: 0 }, "ok", "firing", 12.345, null),
    ).toBe("Firing: API error rate 12.35 % > 5 %");
  });
});
