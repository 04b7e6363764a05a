import { describe, expect, it } from "vitest";
import type { User } from "@/lib/schemas/access";
import { matchingUsers } from "./user-search";

const user = (email: string, name: string, role: User["role"]) => ({ email, name, role }) as User;
const users = [
  user("ann@example.com", "Ann Lee", "admin"),
  user("bob@example.com", "Bob Stone", "developer"),
  user("cid@ops.example", "Cid", "readonly"),
];

describe("matchingUsers", () => {
  it("matches every word against email, name and role, any case", () => {
    expect(matchingUsers(users, "")).toEqual(users);
    expect(matchingUsers(users, "  ").toString()).toBe(users.toString());
    expect(matchingUsers(users, "EXAMPLE.com").map((u) => u.name)).toEqual(["Ann Lee", "Bob Stone"]);
    expect(matchingUsers(users, "bob developer").map((u) => u.name)).toEqual(["Bob Stone"]);
    expect(matchingUsers(users, "readonly ops").map((u) => u.name)).toEqual(["Cid"]);
    expect(matchingUsers(users, "nobody")).toEqual([]);
  });
});
