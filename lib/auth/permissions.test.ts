import { describe, expect, it } from "vitest";
import { type Access, allPermissions, can, canSeeQueue, matchesPattern, mayEver } from "./permissions";

const access = (
  role: Access["role"],
  statements: Access["statements"] = [],
  keyPermissions: string[] = [],
): Access => ({
  role,
  statements,
  keyPermissions,
});

describe("matchesPattern", () => {
  it("matches globs case-insensitively and escapes everything else", () => {
    expect(matchesPattern("orders-*", "Orders-EU")).toBe(true);
    expect(matchesPattern("orders-*", "orders")).toBe(false);
    expect(matchesPattern("*-dlq", "a-dlq")).toBe(true);
    expect(matchesPattern("a.b", "axb")).toBe(false);
    expect(matchesPattern("queue:*", "queue:SendMessage")).toBe(true);
    expect(matchesPattern("queue:*", "topic:PublishMessage")).toBe(false);
    expect(matchesPattern("*", "anything")).toBe(true);
  });
});

describe("can", () => {
  it("gives each role its table and nothing more", () => {
    expect(can(access("owner"), "user:manage")).toBe(true);
    expect(can(access("admin"), "user:manage")).toBe(true);
    expect(can(access("developer"), "user:manage")).toBe(false);
    expect(can(access("developer"), "queue:DeleteQueue", "q")).toBe(true);
    expect(can(access("readonly"), "queue:GetQueueAttributes", "q")).toBe(true);
    expect(can(access("readonly"), "queue:SendMessage", "q")).toBe(false);
    expect(can(access("readonly"), "audit:read")).toBe(false);
  });

  it("scopes a role to the resources its allow statements name", () => {
    const dev = access("developer", [{ effect: "allow", actions: ["queue:*"], resources: ["orders-*"] }]);
    expect(can(dev, "queue:SendMessage", "orders-1")).toBe(true);
    expect(can(dev, "queue:SendMessage", "billing-1")).toBe(false);
    // Allow statements for queues do not scope other kinds of resource.
    expect(can(dev, "topic:PublishMessage", "anything")).toBe(true);
    expect(canSeeQueue(dev, "billing-1")).toBe(false);
    expect(canSeeQueue(dev, "ORDERS-2")).toBe(true);
    // Browsing messages is about a queue too: scoped alike, and granted only when listed.
    expect(can(dev, "message:peek", "billing-1")).toBe(false);
    expect(can(dev, "message:peek", "orders-1")).toBe(false);
    const peeker = access("developer", [
      { effect: "allow", actions: ["queue:*", "message:peek"], resources: ["orders-*"] },
    ]);
    expect(can(peeker, "message:peek", "orders-1")).toBe(true);
    expect(can(peeker, "message:peek", "billing-1")).toBe(false);
  });

  it("lets deny win over allow, and never lets a policy exceed the role", () => {
    const dev = access("developer", [
      { effect: "allow", actions: ["queue:*"], resources: ["*"] },
      { effect: "deny", actions: ["queue:DeleteQueue"], resources: ["prod-*"] },
    ]);
    expect(can(dev, "queue:DeleteQueue", "prod-orders")).toBe(false);
    expect(can(dev, "queue:DeleteQueue", "dev-orders")).toBe(true);
    const reader = access("readonly", [{ effect: "allow", actions: ["queue:SendMessage"], resources: ["*"] }]);
    expect(can(reader, "queue:SendMessage", "q")).toBe(false);
  });

  it("narrows by API key, even for the owner", () => {
    const key = access("owner", [], ["queue:SendMessage", "queue:GetQueueAttributes"]);
    expect(can(key, "queue:SendMessage", "q")).toBe(true);
    expect(can(key, "queue:DeleteQueue", "q")).toBe(false);
    expect(mayEver(key, "queue:ListQueue")).toBe(false);
    expect(allPermissions.filter((p) => can(key, p))).toEqual(["queue:GetQueueAttributes", "queue:SendMessage"]);
  });

  it("ignores policies for the owner", () => {
    const owner = access("owner", [{ effect: "deny", actions: ["*"], resources: ["*"] }]);
    expect(can(owner, "queue:DeleteQueue", "q")).toBe(true);
  });
});
