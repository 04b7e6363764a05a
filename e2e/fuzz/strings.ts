import fc from "fast-check";

// Strings and encodings that have broken parsers: NUL, lone surrogates, form and path
// metacharacters, astral characters, and lengths just around the limits.

const special = fc.constantFrom(
  "\u0000",
  "\ud800",
  "\udfff",
  "\ud83d\ude00",
  "%",
  "%zz",
  "%00",
  "+",
  "&",
  "=",
  "?",
  "#",
  "/",
  ".",
  "..",
  "\\",
  "_",
  "*",
  "'",
  '"',
  "\n",
  "\u00e9",
  "\ufffd",
  "\ufeff",
  "__proto__",
  "constructor",
);

/** Any string, biased towards the characters and shapes that break things. */
export const fuzzText = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 24 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 16 }) },
  { weight: 3, arbitrary: fc.string({ unit: special, maxLength: 6 }) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.string({ maxLength: 8 }), special, fc.string({ maxLength: 8 }))
      .map((parts) => parts.join("")),
  },
  { weight: 1, arbitrary: fc.constantFrom(1023, 1024, 65_535, 65_536, 65_537).map((n) => "x".repeat(n)) },
  { weight: 1, arbitrary: fc.constantFrom("9999999999999999999", "-1", "0", "1e3", "NaN", "-".repeat(36), " 1") },
);

/** Strings that may contain NUL or a lone surrogate: what every API must refuse as text. */
export const isBadText = (value: string) => value.includes("\u0000") || /\p{Cs}/u.test(value);

/** Whether any string (or object key) anywhere in a JSON value is bad text. */
export function hasBadText(value: unknown): boolean {
  if (typeof value === "string") return isBadText(value);
  if (Array.isArray(value)) return value.some(hasBadText);
  if (value && typeof value === "object") {
    return Object.entries(value).some(([key, v]) => isBadText(key) || hasBadText(v));
  }
  return false;
}

/** Integers around the documented ranges, and values that are not integers at all. */
export const fuzzNumber: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: -2, max: 70_000 }),
  fc.constantFrom(0, 1, 15, 16, 17, 30, 31, 3600, 3601, 43_200, 43_201, 2 ** 31, 2 ** 53, -(2 ** 53), 1.5, -0),
  fc.constantFrom("1", "", null, true, [], {}, "0x10", 1e300),
);

/** Bytes that are not UTF-8 (or not minimal UTF-8), as a request would carry them raw. */
export const invalidUtf8 = fc.constantFrom(
  Buffer.from([0xff]),
  Buffer.from([0xc3]),
  Buffer.from([0xed, 0xa0, 0x80]),
  Buffer.from([0xc0, 0x80]),
  Buffer.from([0xf8, 0x88, 0x80, 0x80, 0x80]),
  Buffer.from([0x80]),
);

/** Percent-encodings that do not decode to UTF-8. */
export const malformedEscape = fc.constantFrom("%", "%z", "%zz", "%4", "%FF", "%C3", "%ED%A0%80", "%C0%80", "%%41");

/**
 * msgRetentionSeconds as fuzzed: never a valid value under a day, so the retention worker cannot
 * delete messages during a run and make a refused request look like a change.
 */
export const fuzzRetention = fuzzNumber.map((v) =>
  typeof v === "number" && Number.isInteger(v) && v >= 60 && v < 86_400 ? v + 86_400 : v,
);

/** A string as a client can send it in a URL: lone surrogates cannot be percent-encoded, so U+FFFD. */
export const wellFormed = (value: string) => value.replace(/\p{Cs}/gu, "\ufffd");
export const encodeComponent = (value: string) => encodeURIComponent(wellFormed(value));

/** A case that fast-check prints with long strings cut short (a counterexample stays readable). */
export function compactPrint<T extends object>(value: T): T {
  const shorten = (_key: string, v: unknown) =>
    typeof v === "string" && v.length > 120 ? `${v.slice(0, 60)}…(${v.length} chars)…${v.slice(-20)}` : v;
  return Object.assign(value, {
    [fc.toStringMethod]: () =>
      JSON.stringify(value, (k, v) =>
        Buffer.isBuffer(v) || v?.type === "Buffer" ? `<${(v.data ?? v).length} bytes>` : shorten(k, v),
      ),
  });
}
