import { type Access, allPermissions, coversKind, kindOf, matchesPattern, mayEver } from "./permissions";

// DESIGN.md §4.9: nobody grants more than they hold. A grant — a new user, a role, a policy, an API
// key, re-enabling a user — hands the grantee an Access; it is within the grantor's when, for every
// permission, the resources the grantee could act on are among those the grantor can.
//
// Per permission, each side may act on (allow patterns) minus (deny patterns), where allow is ["*"]
// when no allow statement scopes that kind of resource (see can()). The test is sufficient, not
// exact — it may refuse a grant that is in fact within, never pass one that is not:
//   - every grantee allow pattern lies inside one of the grantor's allow patterns, and
//   - every grantor deny pattern is repeated inside a grantee deny, or meets no grantee allow.
// Pattern p lies inside q when q matches p read as a literal name: each `*` of p is then absorbed by
// a `*` of q, so q matches whatever p's `*`s stand for.

type Resources = { allow: string[]; deny: string[] };

/** What the grantee would hold beyond the grantor, as "permission on pattern"; empty = within. */
export function exceedingGrants(grantor: Access, grantee: Access): string[] {
  const exceeding: string[] = [];
  for (const permission of allPermissions) {
    if (!mayEver(grantee, permission)) continue;
    if (!mayEver(grantor, permission)) {
      exceeding.push(permission);
      continue;
    }
    const held = resourcesFor(grantor, permission);
    const given = resourcesFor(grantee, permission);
    for (const pattern of given.allow) {
      if (!held.allow.some((h) => isInside(pattern, h))) exceeding.push(`${permission} on ${pattern}`);
    }
    for (const denied of held.deny) {
      const isKept = given.deny.some((d) => isInside(denied, d)) || given.allow.every((a) => areDisjoint(a, denied));
      if (!isKept) exceeding.push(`${permission} on ${denied} (denied to you)`);
    }
  }
  return exceeding;
}

function resourcesFor(access: Access, permission: string): Resources {
  if (access.role === "owner") return { allow: ["*"], deny: [] };
  const matches = (actions: string[]) => actions.some((p) => matchesPattern(p, permission));
  const deny = access.statements.filter((s) => s.effect === "deny" && matches(s.actions)).flatMap((s) => s.resources);
  const kind = kindOf(permission);
  const scoped = access.statements.filter((s) => s.effect === "allow" && s.actions.some((p) => coversKind(p, kind)));
  if (scoped.length === 0) return { allow: ["*"], deny };
  return { allow: scoped.filter((s) => matches(s.actions)).flatMap((s) => s.resources), deny };
}

/** Every name matching `inner` matches `outer`. */
export const isInside = (inner: string, outer: string) => matchesPattern(outer, inner);

/** No name matches both (judged by literal prefixes and suffixes; false when unsure). */
export function areDisjoint(a: string, b: string): boolean {
  if (!a.includes("*")) return !matchesPattern(b, a);
  if (!b.includes("*")) return !matchesPattern(a, b);
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  const [xPrefix, yPrefix] = [x.slice(0, x.indexOf("*")), y.slice(0, y.indexOf("*"))];
  const [xSuffix, ySuffix] = [x.slice(x.lastIndexOf("*") + 1), y.slice(y.lastIndexOf("*") + 1)];
  const prefixesClash = !xPrefix.startsWith(yPrefix) && !yPrefix.startsWith(xPrefix);
  const suffixesClash = !xSuffix.endsWith(ySuffix) && !ySuffix.endsWith(xSuffix);
  return prefixesClash || suffixesClash;
}
