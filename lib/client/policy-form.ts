import type { Statement } from "@/lib/auth/permissions";

// The policy editor's state: statements as the user edits them (resources as a comma list), checked
// against the limits lib/schemas/access.ts enforces before anything is sent.

export type StatementDraft = {
  /** Stable identity for React while statements are added and removed. */
  id: number;
  effect: Statement["effect"];
  actions: string[];
  resources: string;
};
export type StatementErrors = { actions?: string; resources?: string };
export type PolicyErrors = { statements: Record<number, StatementErrors>; form?: string };

export const maxStatements = 50;
export const maxPatternsPerStatement = 30;
const resourcePattern = /^[a-zA-Z0-9_*-]+$/;

let nextId = 1;
export const newStatementDraft = (): StatementDraft => ({ id: nextId++, effect: "allow", actions: [], resources: "" });

export const draftsFromStatements = (statements: readonly Statement[]): StatementDraft[] =>
  statements.map((s) => ({
    id: nextId++,
    effect: s.effect,
    actions: [...s.actions],
    resources: s.resources.join(", "),
  }));

/** "orders-*, billing-1 ,," → ["orders-*", "billing-1"] */
export const parseResourceList = (text: string): string[] =>
  text
    .split(",")
    .map((r) => r.trim())
    .filter(Boolean);

type Validated = { ok: true; statements: Statement[] } | { ok: false; errors: PolicyErrors };

export function validatePolicy(drafts: readonly StatementDraft[]): Validated {
  const errors: PolicyErrors = { statements: {} };
  if (drafts.length > maxStatements) errors.form = `A policy has at most ${maxStatements} statements.`;
  const statements = drafts.map((draft, index): Statement => {
    const resources = parseResourceList(draft.resources);
    const problems: StatementErrors = {};
    if (draft.actions.length === 0) problems.actions = "Pick at least one action.";
    else if (draft.actions.length > maxPatternsPerStatement)
      problems.actions = `At most ${maxPatternsPerStatement} actions.`;
    const bad = resources.find((r) => !resourcePattern.test(r) || r.length > 128);
    if (resources.length === 0) problems.resources = "Name at least one queue or pattern, such as orders-* or *.";
    else if (bad !== undefined) problems.resources = `“${bad}”: use letters, digits, '-', '_' and '*' only.`;
    else if (resources.length > maxPatternsPerStatement)
      problems.resources = `At most ${maxPatternsPerStatement} resources.`;
    if (problems.actions || problems.resources) errors.statements[index] = problems;
    return { effect: draft.effect, actions: draft.actions, resources };
  });
  if (errors.form || Object.keys(errors.statements).length > 0) return { ok: false, errors };
  return { ok: true, statements };
}

/** One line per statement: "Allow queue:*, message:peek on orders-*". */
export const summarizeStatement = (s: Statement): string =>
  `${s.effect === "allow" ? "Allow" : "Deny"} ${s.actions.join(", ")} on ${s.resources.join(", ")}`;
