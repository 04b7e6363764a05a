import { describe, expect, it } from "vitest";
import { areDisjoint, exceedingGrants, isInside } from "./grants";
import type { Access, Statement } from "./permissions";

const access = (role: Access["role"], statements: Statement[] = [], keyPermissions: string[] = []): Access => ({
  role,
  statements,
  keyPermissions,
});
const ordersOnly: Statement = { effect: "allow", actions: ["queue:*", "message:*"], resources: ["orders-*"] };
const noSecrets: Statement = { effect: "deny", actions: ["queue:*"], resources: ["secret-*"] };

describe("exceedingGrants (nobody grants more than they hold)", () => {
  it("lets the owner and an unrestricted admin grant any lesser role and policy", () => {
    expect(exceedingGrants(access("owner"), access("admin"))).toEqual([]);
    expect(exceedingGrants(access("admin"), access("developer"))).toEqual([]);
    expect(exceedingGrants(access("admin"), access("developer", [ordersOnly]))).toEqual([]);
  });

  it("refuses an unrestricted developer to an admin limited to orders-*", () => {
    const exceeding = exceedingGrants(access("admin", [ordersOnly]), access("developer"));
    expect(exceeding).toContain("queue:DeleteQueue on *");
    expect(exceeding).toContain("message:peek on *");
    // Kinds the admin's policy does not scope stay the admin's to give.
    expect(exceeding.some((e) => e.startsWith("topic:"))).toBe(false);
  });

  it("passes the limited admin's own policy on, or a narrower one, but not a wider one", () => {
    const admin = access("admin", [ordersOnly, noSecrets]);
    expect(exceedingGrants(admin, access("developer", [ordersOnly, noSecrets]))).toEqual([]);
    const narrower: Statement = { effect: "allow", actions: ["queue:SendMessage"], resources: ["orders-eu-*"] };
    expect(exceedingGrants(admin, access("developer", [narrower]))).toEqual([]);
    const wider: Statement = { effect: "allow", actions: ["queue:*"], resources: ["order*"] };
    expect(exceedingGrants(admin, access("developer", [wider]))).toContain("queue:GetQueueAttributes on order*");
  });

  it("requires a grantor's deny to be kept where the grantee could reach it", () => {
    const admin = access("admin", [noSecrets]);
    expect(exceedingGrants(admin, access("developer"))).toContain("queue:DeleteQueue on secret-* (denied to you)");
    expect(exceedingGrants(admin, access("developer", [noSecrets]))).toEqual([]);
    const billing: Statement = { effect: "allow", actions: ["queue:*"], resources: ["billing-*"] };
    expect(exceedingGrants(admin, access("developer", [billing]))).toEqual([]);
  });

  it("refuses a key wider than the narrowed key that mints it", () => {
    const narrowed = access("developer", [], ["queue:SendMessage", "apikey:own"]);
    expect(exceedingGrants(narrowed, access("developer", [], []))).toContain("queue:DeleteQueue");
    expect(exceedingGrants(narrowed, access("developer", [], ["queue:SendMessage"]))).toEqual([]);
    expect(exceedingGrants(narrowed, access("developer", [], ["queue:*"]))).toContain("queue:CreateQueue");
  });

  it("refuses a user whose role exceeds what a narrowed admin key holds", () => {
    const userManager = access("admin", [], ["user:*"]);
    expect(exceedingGrants(userManager, access("readonly"))).toContain("queue:ListQueue");
  });
});

describe("pattern containment", () => {
  it("judges one glob inside another, reading the inner one literally", () => {
    expect(isInside("orders-eu-*", "orders-*")).toBe(true);
    expect(isInside("orders-*", "orders-eu-*")).toBe(false);
    expect(isInside("*", "orders-*")).toBe(false);
    expect(isInside("a*b", "a*")).toBe(true);
    expect(isInside("Orders-1", "orders-*")).toBe(true);
  });

  it("calls patterns disjoint only when their literal ends clash", () => {
    expect(areDisjoint("orders-*", "secret-*")).toBe(true);
    expect(areDisjoint("*-eu", "*-us")).toBe(true);
    expect(areDisjoint("orders-*", "*-eu")).toBe(false);
    expect(areDisjoint("orders-1", "orders-*")).toBe(false);
    expect(areDisjoint("orders-1", "orders-2")).toBe(true);
  });
});
