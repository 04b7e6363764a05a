import { describe, expect, it } from "vitest";
import {
  describePermission,
  groupPermissions,
  isCoveredByOther,
  otherPatterns,
  policyPermissions,
  toggleAction,
} from "./permission-groups";

describe("groupPermissions", () => {
  it("groups by family in table order, with the family pattern", () => {
    const groups = groupPermissions(["queue:CreateQueue", "queue:SendMessage", "message:peek", "audit:read"]);
    expect(groups).toEqual([
      { family: "queue", label: "Queues", pattern: "queue:*", permissions: ["queue:CreateQueue", "queue:SendMessage"] },
      { family: "message", label: "Messages", pattern: "message:*", permissions: ["message:peek"] },
      { family: "audit", label: "Audit log", pattern: "audit:*", permissions: ["audit:read"] },
    ]);
  });

  it("offers policies only what a policy can scope: queues, messages, topics", () => {
    expect(policyPermissions).toContain("queue:SendMessage");
    expect(policyPermissions).toContain("message:peek");
    expect(policyPermissions).toContain("topic:PublishMessage");
    expect(policyPermissions.some((p) => /^(user|apikey|audit):/.test(p))).toBe(false);
  });
});

describe("toggleAction", () => {
  it("adds and removes one pattern", () => {
    expect(toggleAction([], "queue:SendMessage", true)).toEqual(["queue:SendMessage"]);
    expect(toggleAction(["queue:SendMessage", "message:peek"], "queue:SendMessage", false)).toEqual(["message:peek"]);
    expect(toggleAction(["message:peek"], "message:peek", true)).toEqual(["message:peek"]);
  });

  it("checking a family drops the members it now covers, keeps the rest", () => {
    expect(toggleAction(["queue:SendMessage", "message:peek", "queue:DeleteQueue"], "queue:*", true)).toEqual([
      "message:peek",
      "queue:*",
    ]);
  });
});

describe("isCoveredByOther / otherPatterns", () => {
  it("sees members covered by a family or by *", () => {
    expect(isCoveredByOther(["queue:*"], "queue:SendMessage")).toBe(true);
    expect(isCoveredByOther(["queue:*"], "queue:*")).toBe(false);
    expect(isCoveredByOther(["*"], "message:peek")).toBe(true);
    expect(isCoveredByOther(["queue:SendMessage"], "queue:DeleteQueue")).toBe(false);
  });

  it("lists patterns no group shows, so they can still be removed", () => {
    const groups = groupPermissions(policyPermissions);
    expect(otherPatterns(["queue:*", "message:peek", "*", "user:read", "message:*"], groups)).toEqual([
      "*",
      "user:read",
    ]);
  });
});

describe("describePermission", () => {
  it("reads the table, families and *", () => {
    expect(describePermission("message:peek")).toBe("Browse messages in the console without consuming them");
    expect(describePermission("queue:*")).toBe("Every queue action");
    expect(describePermission("apikey:*")).toBe("Every API key action");
    expect(describePermission("*")).toBe("Everything");
  });
});
