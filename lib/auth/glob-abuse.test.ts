import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { policySchema } from "@/lib/schemas/access";
import { matchesPattern } from "./permissions";

const attack = "*a*a*a*a*a*a*a*a*a*a*b";

// A backtracking matcher never returns on these inputs, and blocks the thread it runs on; so the
// matcher runs (as its own source text; it imports nothing) in a worker that is killed after a
// deadline far beyond any linear-time cost. Not a speed assertion: a hang detector.
function matchInWorker(pattern: string, value: string, deadlineMs = 10_000): Promise<boolean | "hung"> {
  const source = `const matchesPattern = ${matchesPattern.toString()};
    require("node:worker_threads").parentPort.postMessage(matchesPattern(${JSON.stringify(pattern)}, ${JSON.stringify(value)}));`;
  const worker = new Worker(source, { eval: true });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => worker.terminate().then(() => resolve("hung")), deadlineMs);
    worker.once("message", (result: boolean) => {
      clearTimeout(timer);
      worker.terminate().then(() => resolve(result));
    });
    worker.once("error", reject);
  });
}

describe("policy glob matching (catastrophic backtracking)", () => {
  it("answers the issue's pattern against a 30-character name, and against an 80-character one", async () => {
    expect(await matchInWorker(attack, "a".repeat(30))).toBe(false);
    expect(await matchInWorker(attack, "a".repeat(80))).toBe(false);
    expect(await matchInWorker(attack, `${"a".repeat(79)}b`)).toBe(true);
  });

  it("matches like a glob: stars anywhere, pieces in order, no overlap with the ends", () => {
    const cases: [string, string, boolean][] = [
      ["*", "", true],
      ["**", "x", true],
      ["a*", "a", true],
      ["*a", "a", true],
      ["a*a", "a", false],
      ["a*a", "aa", true],
      ["ab*ba", "aba", false],
      ["ab*ba", "abba", true],
      ["*ab*ab*", "xabab", true],
      ["*ab*ab*", "xaba", false],
      ["q-*-*-dlq", "Q-eu-1-DLQ", true],
      ["q-*-*-dlq", "q-eu-dlq", false],
      ["orders_*", "orders_x", true],
      ["orders_*", "ordersax", false],
      [attack, "aaaaaaaaaab", true],
      [attack, "aaaaaaaaab", false],
    ];
    for (const [pattern, value, expected] of cases)
      expect(matchesPattern(pattern, value), `${pattern} ~ ${value}`).toBe(expected);
  });
});

describe("policy resource pattern caps", () => {
  const policy = (resource: string) => ({
    statements: [{ effect: "allow", actions: ["queue:*"], resources: [resource] }],
  });
  const issues = (resource: string) => {
    const result = policySchema.safeParse(policy(resource));
    return result.success ? [] : result.error.issues.map((i) => i.message);
  };

  it("refuses more than 8 stars and patterns longer than 128 characters", () => {
    expect(issues(attack)).toEqual(["at most 8 '*' in a pattern"]);
    expect(issues("*a*a*a*a*a*a*a*a")).toEqual([]);
    expect(issues("a".repeat(129))).toEqual(["Too big: expected string to have <=128 characters"]);
    expect(issues("a".repeat(128))).toEqual([]);
  });
});
