import { allPermissions, matchesPattern, type Permission, permissionTable } from "@/lib/auth/permissions";

// Permission checkboxes, grouped by family ("queue:*" stands for every queue action). Used by the
// policy editor and by the API key narrowing picker.

export type PermissionGroup = {
  family: string;
  label: string;
  /** The family pattern, e.g. "queue:*". */
  pattern: string;
  permissions: Permission[];
};

const families: Record<string, { label: string; noun: string }> = {
  queue: { label: "Queues", noun: "queue" },
  message: { label: "Messages", noun: "message" },
  topic: { label: "Topics", noun: "topic" },
  user: { label: "Users", noun: "user" },
  apikey: { label: "API keys", noun: "API key" },
  audit: { label: "Audit log", noun: "audit" },
  monitor: { label: "Monitoring", noun: "monitoring" },
};

const familyOf = (pattern: string) => pattern.split(":")[0] ?? pattern;

export function groupPermissions(permissions: readonly Permission[]): PermissionGroup[] {
  const groups = new Map<string, PermissionGroup>();
  for (const permission of permissions) {
    const family = familyOf(permission);
    const group = groups.get(family) ?? {
      family,
      label: families[family]?.label ?? family,
      pattern: `${family}:*`,
      permissions: [],
    };
    group.permissions.push(permission);
    groups.set(family, group);
  }
  return [...groups.values()];
}

/**
 * What a policy statement can name. Account-wide permissions (users, keys, audit) are checked
 * against the role alone, so a statement about them would change nothing and is not offered.
 */
export const policyPermissions = allPermissions.filter((p) => /^(queue|message|topic):/.test(p));

export function describePermission(pattern: string): string {
  if (pattern === "*") return "Everything";
  const described = permissionTable[pattern as Permission] as string | undefined;
  if (described) return described;
  const family = familyOf(pattern);
  return pattern.endsWith(":*") ? `Every ${families[family]?.noun ?? family} action` : pattern;
}

/** Whether `permission` is already covered by a pattern in `actions` other than itself. */
export const isCoveredByOther = (actions: readonly string[], permission: string) =>
  actions.some((a) => a !== permission && a.includes("*") && matchesPattern(a, permission));

/**
 * Checks or unchecks one pattern. Checking a family drops the single permissions it now covers, so
 * the list stays as short as what it means.
 */
export function toggleAction(actions: readonly string[], pattern: string, isChecked: boolean): string[] {
  if (!isChecked) return actions.filter((a) => a !== pattern);
  if (actions.includes(pattern)) return [...actions];
  const kept = pattern.includes("*") ? actions.filter((a) => a === pattern || !matchesPattern(pattern, a)) : actions;
  return [...kept, pattern];
}

/** Patterns in `actions` that none of the offered groups shows (set through the API, say). */
export function otherPatterns(actions: readonly string[], groups: readonly PermissionGroup[]): string[] {
  // A family box is shown only for families of more than one permission (see PermissionPicker).
  const offered = new Set(
    groups.flatMap((g) => (g.permissions.length > 1 ? [g.pattern, ...g.permissions] : g.permissions)),
  );
  return actions.filter((a) => !offered.has(a));
}
