import { describe, expect, it } from "vitest";
import type { AlarmRule } from "@/lib/schemas/alarm";
import {
  alarmFormFrom,
  changedAlarmRule,
  conditionLabel,
  emptyAlarmForm,
  scopeLabel,
  validateAlarmForm,
  withKind,
} from "./alarm-form";

const rule: AlarmRule = {
  id: "7",
  name: "orders backlog",
  kind: "backlogVisible",
  scope: { type: "queue", queue: "orders" },
  threshold: 100,
  forSeconds: 300,
  windowSeconds: 300,
  webhookUrl: null,
  enabled: true,
  state: "ok",
  stateSince: "2026-11-30T12:00:00.000Z",
  lastValue: null,
  lastSubject: null,
  evaluatedAt: null,
  createdAt: "2026-11-30T12:00:00.000Z",
  updatedAt: "2026-11-30T12:00:00.000Z",
};

describe("alarm rule form", () => {
  it("turns typed values into the API's input", () => {
    const result = validateAlarmForm({
      ...emptyAlarmForm(),
      name: " orders backlog ",
      queue: "orders",
      threshold: "100",
    });
    expect(result).toEqual({
      ok: true,
      input: {
        name: "orders backlog",
        kind: "backlogVisible",
        scope: { type: "queue", queue: "orders" },
        threshold: 100,
        forSeconds: 300,
        windowSeconds: 300,
        webhookUrl: null,
        enabled: true,
      },
    });
  });

  it("refuses what the API refuses, field by field", () => {
    const result = validateAlarmForm({
      ...emptyAlarmForm(),
      name: "",
      queue: "9bad",
      threshold: "x",
      forSeconds: "-1",
      webhookUrl: "ftp://x",
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(["forSeconds", "name", "scope", "threshold", "webhookUrl"]);
    expect(result.errors.threshold).toBe("Enter a number.");
    const percent = validateAlarmForm({ ...withKind(emptyAlarmForm(), "apiErrorRate"), name: "e", threshold: "150" });
    expect(percent.ok ? {} : percent.errors).toEqual({ threshold: "a percentage is at most 100" });
  });

  it("a kind change keeps the scope only when the kind accepts it", () => {
    expect(withKind(emptyAlarmForm(), "oldestMessageAge").scopeType).toBe("queue");
    expect(withKind(emptyAlarmForm(), "pushFailureRate").scopeType).toBe("topic");
    expect(withKind(emptyAlarmForm(), "dbConnectionUse").scopeType).toBe("account");
  });

  it("an edit sends only what changed", () => {
    const values = { ...alarmFormFrom(rule), threshold: "150", webhookUrl: "https://example.com/hook" };
    const result = validateAlarmForm(values);
    expect(result.ok && changedAlarmRule(rule, result.input)).toEqual({
      threshold: 150,
      webhookUrl: "https://example.com/hook",
    });
  });

  it("labels scope and condition", () => {
    expect(scopeLabel(rule)).toBe("queue orders");
    expect(conditionLabel(rule)).toBe("> 100 messages for 5 min");
    expect(conditionLabel({ kind: "apiErrorRate", threshold: 5, forSeconds: 0, windowSeconds: 600 })).toBe(
      "> 5 % over 10 min",
    );
  });
});
