import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cmqProtocolErrorTable, errorTable } from "./errors";

// The error table is the only source of codes: each code in it is answered somewhere on the server,
// each code the server answers is in it, and the CMQ adapter writes no code or module number itself.

const root = path.resolve(import.meta.dirname, "..");
const isServerSource = (file: string) =>
  /\.ts$/.test(file) &&
  !/\.test\.ts$/.test(file) &&
  !file.startsWith("lib/client/") &&
  !file.startsWith("lib/testing/") &&
  !file.startsWith("lib/generated/") &&
  file !== "lib/errors.ts";
const serverSources = [
  ...["lib", "app"].flatMap((dir) =>
    readdirSync(path.join(root, dir), { recursive: true, encoding: "utf8" }).map((f) => path.join(dir, f)),
  ),
  "proxy.ts",
]
  .map((file) => file.split(path.sep).join("/"))
  .filter(isServerSource)
  .map((file) => ({ file, code: withoutComments(readFileSync(path.join(root, file), "utf8")) }));

function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
}

const codes = [...Object.keys(errorTable), ...Object.keys(cmqProtocolErrorTable)];

describe("the error table", () => {
  it("reads the server's sources (sanity)", () => {
    expect(serverSources.map((s) => s.file)).toEqual(
      expect.arrayContaining(["lib/cmq/errors.ts", "lib/api/respond.ts", "proxy.ts", "app/api/health/route.ts"]),
    );
  });

  it("holds no code the server never answers", () => {
    const unused = codes.filter((code) => !serverSources.some((s) => s.code.includes(`"${code}"`)));
    expect(unused).toEqual([]);
  });

  it("holds every code the server answers", () => {
    const answered = serverSources.flatMap((s) =>
      [...s.code.matchAll(/(?:AppError|CmqError)\(\s*"([A-Z_]+)"|\bcode: "([A-Z_]+)"/g)].map((m) => m[1] ?? m[2]),
    );
    expect(answered.length).toBeGreaterThan(30);
    expect([...new Set(answered)].filter((code) => !codes.includes(String(code)))).toEqual([]);
  });

  it("is the only place CMQ codes and modules are written", () => {
    const numbers = new Set<number>(
      [...Object.values(errorTable), ...Object.values(cmqProtocolErrorTable)].flatMap((e) => [e.cmqCode, e.cmqModule]),
    );
    const written = serverSources.flatMap((s) =>
      [...s.code.matchAll(/\b\d{4,5}\b/g)]
        .filter((m) => numbers.has(Number(m[0])))
        .map((m) => `${s.file}: ${m[0]}`)
        .filter((where) => where.startsWith("lib/cmq/") || where.startsWith("lib/api/") || where.startsWith("app/v2")),
    );
    expect(written).toEqual([]);
  });

  it("keeps the codes REST answers apart from the CMQ-only ones", () => {
    for (const entry of Object.values(errorTable)) expect(entry.status).toBeGreaterThanOrEqual(400);
    expect(Object.keys(errorTable).filter((code) => code in cmqProtocolErrorTable)).toEqual([]);
  });
});
