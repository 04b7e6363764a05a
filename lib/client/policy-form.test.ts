import { describe, expect, it } from "vitest";
import {
  draftsFromStatements,
  newStatementDraft,
  parseResourceList,
  summarizeStatement,
  validatePolicy,
} from "./policy-form";

const draft = (change: Partial<ReturnType<typeof newStatementDraft>>) => ({ ...newStatementDraft(), ...change });

describe("parseResourceList", () => {
  it("splits on commas, trims and drops empties", () => {
    expect(parseResourceList(" orders-*, billing-1 ,, ")).toEqual(["orders-*", "billing-1"]);
    expect(parseResourceList("")).toEqual([]);
  });
});

describe("validatePolicy", () => {
  it("turns drafts into the statements the API takes, in order", () => {
    const result = validatePolicy([
      draft({ actions: ["queue:*", "message:peek"], resources: "orders-*" }),
      draft({ effect: "deny", actions: ["queue:DeleteQueue"], resources: "orders-prod, orders-eu" }),
    ]);
    expect(result).toEqual({
      ok: true,
      statements: [
        { effect: "allow", actions: ["queue:*", "message:peek"], resources: ["orders-*"] },
        { effect: "deny", actions: ["queue:DeleteQueue"], resources: ["orders-prod", "orders-eu"] },
      ],
    });
    expect(validatePolicy([])).toEqual({ ok: true, statements: [] });
  });

  it("pins each complaint to its statement", () => {
    const result = validatePolicy([
      draft({ actions: ["queue:*"], resources: "orders-*" }),
      draft({ actions: [], resources: "" }),
      draft({ actions: ["queue:*"], resources: "orders.eu" }),
    ]);
    expect(result).toEqual({
      ok: false,
      errors: {
        statements: {
          1: {
            actions: "Pick at least one action.",
            resources: "Name at least one queue or pattern, such as orders-* or *.",
          },
          2: { resources: "“orders.eu”: use letters, digits, '-', '_' and '*' only." },
        },
      },
    });
  });

  it("keeps to the API's limits", () => {
    const many = Array.from({ length: 31 }, (_, i) => `q${i}`).join(",");
    const result = validatePolicy([draft({ actions: ["queue:*"], resources: many })]);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.statements[0]?.resources).toBe("At most 30 resources.");
    const tooMany = Array.from({ length: 51 }, () => draft({ actions: ["queue:*"], resources: "*" }));
    const over = validatePolicy(tooMany);
    expect(over.ok).toBe(false);
    if (!over.ok) expect(over.errors.form).toBe("A policy has at most 50 statements.");
  });
});

describe("drafts and summaries", () => {
  it("round-trips statements through drafts with distinct ids", () => {
    const statements = [
      { effect: "allow" as const, actions: ["queue:*"], resources: ["orders-*", "x"] },
      { effect: "deny" as const, actions: ["queue:SendMessage"], resources: ["orders-prod"] },
    ];
    const drafts = draftsFromStatements(statements);
    expect(drafts.map((d) => d.resources)).toEqual(["orders-*, x", "orders-prod"]);
    expect(new Set(drafts.map((d) => d.id)).size).toBe(2);
    expect(validatePolicy(drafts)).toEqual({ ok: true, statements });
  });

  it("summarises a statement in one line", () => {
    expect(summarizeStatement({ effect: "allow", actions: ["queue:*", "message:peek"], resources: ["orders-*"] })).toBe(
      "Allow queue:*, message:peek on orders-*",
    );
  });
});
