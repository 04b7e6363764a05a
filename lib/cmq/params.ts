import { cmqErrors } from "./errors";

// CMQ parameters arrive form-encoded (POST body or GET query), every value a string. Arrays are
// "name.n" with n starting at 0 or 1, contiguous. Names are case-sensitive except Action.

export class CmqParams {
  private readonly values = new Map<string, string>();

  constructor(readonly entries: [string, string][]) {
    for (const [name, value] of entries) {
      if (this.values.has(name)) throw cmqErrors.repeatedParam(name);
      this.values.set(name, value);
    }
  }

  static parse(text: string): CmqParams {
    return new CmqParams([...new URLSearchParams(text).entries()]);
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
