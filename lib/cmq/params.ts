import { decodeFormComponent, decodeUtf8 } from "@/lib/api/validation";
import { cmqErrors } from "./errors";

// CMQ parameters arrive form-encoded (POST body or GET query), every value a string. Arrays are
// "name.n" with n starting at 0 or 1, contiguous. Names are case-sensitive except Action.
// Every name and value must be UTF-8 text without NUL, percent-encoded where needed: anything else
// is refused naming the parameter (4000), never altered (URLSearchParams would keep "%zz" as is and
// turn invalid UTF-8 into U+FFFD, so the message stored would not be the one sent).

export class CmqParams {
  private readonly values = new Map<string, string>();

  constructor(readonly entries: [string, string][]) {
    for (const [name, value] of entries) {
      if (this.values.has(name)) throw cmqErrors.repeatedParam(name);
      this.values.set(name, value);
    }
  }

  /** A GET query string, or a POST body's bytes (which must be UTF-8 as a whole). */
  static parse(form: string | Uint8Array): CmqParams {
    const text = typeof form === "string" ? form : decodeUtf8(form);
    if (text === undefined) throw cmqErrors.badParam(firstInvalidUtf8Param(form as Uint8Array), "is not valid UTF-8");
    const entries: [string, string][] = [];
    for (const pair of text.split("&")) {
      if (pair === "") continue;
      const equals = pair.indexOf("=");
      const rawName = equals < 0 ? pair : pair.slice(0, equals);
      const name = decodeFormComponent(rawName);
      if (name === undefined) throw cmqErrors.badParam(rawName, "name is not valid percent-encoded UTF-8");
      const value = decodeFormComponent(equals < 0 ? "" : pair.slice(equals + 1));
      if (value === undefined) throw cmqErrors.badParam(name, "is not valid percent-encoded UTF-8");
      if (name.includes("\u0000")) throw cmqErrors.badParam(JSON.stringify(name), "name must not contain NUL");
      if (value.includes("\u0000")) throw cmqErrors.badParam(name, "must not contain NUL (U+0000)");
      entries.push([name, value]);
    }
    return new CmqParams(entries);
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  optionalString(name: string): string | undefined {
    return this.values.get(name);
  }

  string(name: string): string {
    const value = this.values.get(name);
    if (value === undefined || value === "") throw cmqErrors.missingParam(name);
    return value;
  }

  /** An integer parameter; ranges are checked by the service layer's schemas, not here. */
  optionalInt(name: string): number | undefined {
    const raw = this.values.get(name);
    if (raw === undefined || raw === "") return undefined;
    if (!/^-?\d{1,15}$/.test(raw)) throw cmqErrors.badParam(name, "must be an integer");
    return Number(raw);
  }

  int(name: string): number {
    const value = this.optionalInt(name);
    if (value === undefined) throw cmqErrors.missingParam(name);
    return value;
  }

  /** Values of `prefix.0`/`prefix.1`…, in index order; indices must start at 0 or 1 and be contiguous. */
  list(prefix: string, max: number): string[] {
    const indexed: [number, string][] = [];
    for (const [name, value] of this.values) {
      if (!name.startsWith(`${prefix}.`)) continue;
      const index = name.slice(prefix.length + 1);
      if (!/^\d{1,4}$/.test(index)) throw cmqErrors.badParam(name, "array index must be a number");
      indexed.push([Number(index), value]);
    }
    if (indexed.length === 0) throw cmqErrors.missingParam(`${prefix}.n`);
    if (indexed.length > max) throw cmqErrors.batchSize(`${prefix}.n`, max);
    indexed.sort((a, b) => a[0] - b[0]);
    const start = indexed[0]?.[0] ?? 0;
    if (start > 1 || indexed.some(([index], i) => index !== start + i)) throw cmqErrors.notConsecutive(prefix);
    return indexed.map(([, value]) => value);
  }
}

/** The name of the first parameter whose raw bytes are not UTF-8 (to say which one was refused). */
function firstInvalidUtf8Param(bytes: Uint8Array): string {
  for (let start = 0; start <= bytes.length; ) {
    const ampersand = bytes.indexOf(0x26 /* & */, start);
    const end = ampersand < 0 ? bytes.length : ampersand;
    const pair = bytes.subarray(start, end);
    if (decodeUtf8(pair) === undefined) {
      const equals = pair.indexOf(0x3d /* = */);
      const name = decodeUtf8(equals < 0 ? pair : pair.subarray(0, equals));
      return name === undefined ? "(a parameter name)" : (decodeFormComponent(name) ?? name);
    }
    start = end + 1;
  }
  return "(the request body)";
}
