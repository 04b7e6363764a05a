import { describe, expect, it } from "vitest";
import {
  type Access,
  allPermissions,
  can,
  canMonitorQueue,
  canSeeQueue,
  canSeeTopic,
  matchesPattern,
  mayEver,
} from "./permissions";

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

describe("seeing a queue", () => {
  const team = [{ effect: "allow" as const, actions: ["queue:*", "topic:*"], resources: ["team-*"] }];

  it("a key narrowed to monitoring sees what its user sees, and monitors it; it does nothing else", () => {
    const scraper = access("developer", team, ["monitor:read"]);
    expect(canSeeQueue(scraper, "team-a")).toBe(true);
    expect(canMonitorQueue(scraper, "team-a")).toBe(true);
    expect(canSeeTopic(scraper, "team-t")).toBe(true);
    expect(can(scraper, "queue:SendMessage", "team-a")).toBe(false);
    // Its user does not see "other": neither does it.
    expect(canSeeQueue(scraper, "other")).toBe(false);
    expect(canMonitorQueue(scraper, "other")).toBe(false);
  });

  it("monitoring adds nothing to what a session or an unnarrowed key sees", () => {
    const user = access("developer", team);
    expect(canSeeQueue(user, "other")).toBe(false);
    expect(canMonitorQueue(user, "team-a")).toBe(true);
    // A user denied a queue's actions does not see it, whatever monitor:read allows.
    const denied = access("developer", [{ effect: "deny", actions: ["queue:*", "message:*"], resources: ["secret"] }]);
    expect(canSeeQueue(denied, "secret")).toBe(false);
    expect(canMonitorQueue(denied, "secret")).toBe(false);
    expect(canSeeQueue(access("developer", [], ["monitor:read"]), "secret")).toBe(true);
    expect(canSeeQueue({ ...denied, keyPermissions: ["monitor:read"] }, "secret")).toBe(false);
  });

  it("a key with neither a queue action nor monitor:read sees no queue", () => {
    for (const narrowing of [["monitor:alarms"], ["user:read"], ["topic:*"]]) {
      expect(canSeeQueue(access("owner", [], narrowing), "q")).toBe(false);
    }
    // monitor:read denied on a queue: a monitoring key does not see it.
    const noMonitoring = access(
      "developer",
      [{ effect: "deny", actions: ["monitor:read"], resources: ["q"] }],
      ["monitor:read"],
    );
    expect(canSeeQueue(noMonitoring, "q")).toBe(false);
    expect(canSeeQueue(noMonitoring, "r")).toBe(true);
  });
});
