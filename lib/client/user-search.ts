import type { User } from "@/lib/schemas/access";

export const usersPageSize = 25;

/** The users whose email, name or role contains every word of `search`, any case; all of them for "". */
export function matchingUsers(users: User[], search: string): User[] {
  const words = search.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return users;
  return users.filter((user) => {
    const text = `${user.email} ${user.name} ${user.role}`.toLowerCase();
    return words.every((word) => text.includes(word));
  });
}
