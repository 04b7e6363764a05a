import { describe, expect, it } from "vitest";
import type { Access } from "@/lib/auth/permissions";
import { allows, denialReason } from "./access";

const access = (role: Access["role"], statements: Access["statements"] = [], keyPermissions: string[] = []) => ({
  role,
  statements,
  keyPermissions,
});
const ordersOnly = access("developer", [
  { effect: "allow", actions: ["queue:*", "message:peek"], resources: ["orders-*"] },
]);

describe("allows", () => {
  it("asks can() about a named resource", () => {
    expect(allows(ordersOnly, "queue:SendMessage", "orders-1")).toBe(true);
    expect(allows(ordersOnly, "queue:SendMessage", "billing-1")).toBe(false);
    expect(allows(ordersOnly, "message:peek", "billing-1")).toBe(false);
  });

  it("without a resource, asks what the server asks before it knows one: does the role grant it at all", () => {
    // The orders-* developer may create orders-… queues, so the console offers "Create queue".
    expect(allows(ordersOnly, "queue:CreateQueue")).toBe(true);
    expect(allows(access("readonly"), "queue:CreateQueue")).toBe(false);
    expect(allows(access("readonly"), "apikey:own")).toBe(true);
    expect(allows(access("developer"), "user:read")).toBe(false);
    expect(allows(access("admin"), "audit:read")).toBe(true);
  });
});

describe("denialReason", () => {
  it("names the role when the role is what refuses", () => {
    expect(denialReason(access("readonly"), "queue:SendMessage", "orders-1")).toBe(
      "Your role (Read-only) does not include queue:SendMessage.",
    );
  });

  it("names the policy and the resource when a statement is what refuses", () => {
    const noBilling = access("developer", [
      { effect: "deny", actions: ["queue:SendMessage"], resources: ["billing-*"] },
    ]);
    expect(denialReason(noBilling, "queue:SendMessage", "billing-1")).toBe(
      "Your access policy does not allow queue:SendMessage on “billing-1”.",
    );
  });

  it("names the key when a key's narrowing is what refuses", () => {
    expect(denialReason(access("developer", [], ["queue:SendMessage"]), "queue:DeleteQueue")).toBe(
      "This API key does not include queue:DeleteQueue.",
    );
  });
});
