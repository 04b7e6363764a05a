import { describe, expect, it } from "vitest";
import type { Role } from "@/lib/auth/permissions";
import type { ApiKey, Me, User } from "@/lib/schemas/access";
import { apiKeyRowAllowance, narrowablePermissions } from "./api-key-actions";
import { addUserAllowance, assignAdminAllowance, userRowActions } from "./user-actions";

const me = (role: Role, id = `me-${role}`): Me => ({
  user: { id, email: `${role}@example.com`, name: role, role },
  account: { id: "acct", name: "acct" },
  via: "session",
  access: { role, statements: [], keyPermissions: [] },
});
const user = (role: Role, id = `u-${role}`, isDisabled = false): User => ({
  id,
  email: `${id}@example.com`,
  name: id,
  role,
  isDisabled,
  createdAt: "2026-11-25T00:00:00Z",
  lastLoginAt: null,
  statements: [],
});
const key = (userId: string): ApiKey => ({
  id: "k",
  secretId: "AKIDx",
  description: "",
  permissions: [],
  isDisabled: false,
  lastUsedAt: null,
  createdAt: "2026-11-25T00:00:00Z",
  userId,
  userEmail: "x@example.com",
  ineffectivePermissions: [],
});
const ok = { isAllowed: true };

describe("userRowActions", () => {
  it("offers nothing on the owner's row", () => {
    expect(userRowActions(me("owner"), user("owner")).isHidden).toBe(true);
    expect(userRowActions(me("admin"), user("owner")).isHidden).toBe(true);
  });

  it("lets the owner change anyone else, admins included", () => {
    expect(userRowActions(me("owner"), user("admin"))).toEqual({ isHidden: false, change: ok, toggleDisabled: ok });
  });

  it("keeps admins off admins, their own row included", () => {
    const admin = me("admin", "a1");
    expect(userRowActions(admin, user("admin", "a2")).change).toEqual({
      isAllowed: false,
      reason: "Only the owner may change admins.",
    });
    expect(userRowActions(admin, user("developer"))).toEqual({ isHidden: false, change: ok, toggleDisabled: ok });
    expect(userRowActions(admin, user("admin", "a1")).toggleDisabled).toEqual({
      isAllowed: false,
      reason: "Only the owner may change admins.",
    });
  });

  it("refuses every change to a role without user:manage, saying why", () => {
    expect(userRowActions(me("developer"), user("readonly")).change).toEqual({
      isAllowed: false,
      reason: "Your role (Developer) does not include user:manage.",
    });
  });
});

describe("adding users and admins", () => {
  it("adds with user:manage; makes admins only as the owner", () => {
    expect(addUserAllowance(me("admin"))).toEqual(ok);
    expect(addUserAllowance(me("readonly")).isAllowed).toBe(false);
    expect(assignAdminAllowance(me("owner"))).toEqual(ok);
    expect(assignAdminAllowance(me("admin"))).toEqual({
      isAllowed: false,
      reason: "Only the owner may make a user an admin.",
    });
  });
});

describe("apiKeyRowAllowance", () => {
  it("manages one's own keys with apikey:own and others' with apikey:manage", () => {
    const dev = me("developer", "d1");
    expect(apiKeyRowAllowance(dev, key("d1"))).toEqual(ok);
    expect(apiKeyRowAllowance(dev, key("someone"))).toEqual({
      isAllowed: false,
      reason: "Your role (Developer) does not include apikey:manage.",
    });
    expect(apiKeyRowAllowance(me("admin"), key("someone"))).toEqual(ok);
  });

  it("narrows new keys only to what the role grants", () => {
    expect(narrowablePermissions(me("readonly"))).toEqual([
      "queue:ListQueue",
      "queue:GetQueueAttributes",
      "message:peek",
      "topic:ListTopic",
      "topic:GetTopicAttributes",
      "apikey:own",
      "monitor:read",
    ]);
    expect(narrowablePermissions(me("owner"))).toHaveLength(29);
  });
});
