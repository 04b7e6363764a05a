import { describe, expect, it } from "vitest";
import { checkBindingKeys, checkRoutingKey, checkTags, keyProblem, parseList } from "./topics-filter";

describe("parseList", () => {
  it("splits on commas, trims, drops blanks and repeats", () => {
    expect(parseList(" a, b ,, a , c ")).toEqual(["a", "b", "c"]);
    expect(parseList("")).toEqual([]);
  });
});

describe("checkTags", () => {
  it("takes up to 5 tags of up to 16 characters", () => {
    expect(checkTags("a,b,c,d,e")).toEqual({ ok: true, items: ["a", "b", "c", "d", "e"] });
    expect(checkTags("")).toEqual({ ok: true, items: [] });
    expect(checkTags("x".repeat(16))).toEqual({ ok: true, items: ["x".repeat(16)] });
  });

  it("refuses a sixth tag and a long one, naming it", () => {
    expect(checkTags("a,b,c,d,e,f")).toEqual({ ok: false, error: "At most 5 tags." });
    expect(checkTags(`ok, ${"y".repeat(17)}`)).toEqual({
      ok: false,
      error: `Each tag has at most 16 characters (“${"y".repeat(17)}” has 17).`,
    });
  });
});

describe("keyProblem", () => {
  it("accepts 16 words in 64 bytes, and wildcards as whole words in binding keys", () => {
    expect(keyProblem(Array(16).fill("a").join("."), false)).toBeUndefined();
    expect(keyProblem("a.*.c", true)).toBeUndefined();
    expect(keyProblem("#", true)).toBeUndefined();
    expect(keyProblem("a.#", true)).toBeUndefined();
  });

  it("counts bytes (not characters), dots, blanks and glued wildcards", () => {
    expect(keyProblem("é".repeat(33), false)).toBe(`“${"é".repeat(33)}” is 66 bytes; a key has at most 64.`);
    expect(keyProblem(Array(17).fill("a").join("."), false)).toMatch(/has 16 dots; a key has at most 15/);
    expect(keyProblem("a b", false)).toBe("“a b” contains a blank; words are separated by dots.");
    expect(keyProblem("a.b*", true)).toBe("In “a.b*”, '*' and '#' must stand alone as a word (a.*.c, a.#).");
    // A routing key is not a pattern: the same text is only checked for size there.
    expect(keyProblem("a.b*", false)).toBeUndefined();
  });
});

describe("checkBindingKeys", () => {
  it("needs 1–5 valid keys", () => {
    expect(checkBindingKeys("order.*.paid, order.#")).toEqual({ ok: true, items: ["order.*.paid", "order.#"] });
    expect(checkBindingKeys(" , ")).toEqual({
      ok: false,
      error: "Enter at least one binding key ('#' receives every message).",
    });
    expect(checkBindingKeys("a,b,c,d,e,f")).toEqual({ ok: false, error: "At most 5 binding keys." });
    expect(checkBindingKeys("ok, a#")).toEqual({
      ok: false,
      error: "In “a#”, '*' and '#' must stand alone as a word (a.*.c, a.#).",
    });
  });
});

describe("checkRoutingKey", () => {
  it("trims, allows empty, refuses oversize", () => {
    expect(checkRoutingKey(" order.eu ")).toEqual({ ok: true, key: "order.eu" });
    expect(checkRoutingKey("")).toEqual({ ok: true, key: "" });
    expect(checkRoutingKey("k".repeat(65)).ok).toBe(false);
  });
});
