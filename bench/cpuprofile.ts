// `npx tsx bench/cpuprofile.ts <file.cpuprofile> [n]`: the functions with the most self time in a V8
// CPU profile (from `npm run bench -- --cpu-prof`), the same grouped by package / file, and the
// functions with the most total time (their callees included).
import { readFileSync } from "node:fs";

type Node = {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
};
type Profile = { nodes: Node[]; samples?: number[]; timeDeltas?: number[]; startTime: number; endTime: number };

const [file, count] = process.argv.slice(2);
if (!file) {
  console.error("usage: npx tsx bench/cpuprofile.ts <file.cpuprofile> [n]");
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
const n = Number(count ?? 25);
const total = profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0) || 1;
const where = (url: string) => {
  if (!url) return "(native)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg;
  if (url.startsWith("node:")) return url;
  return url.replace(/^file:\/\//, "").replace(process.cwd(), ".");
};
const byFunction = new Map<string, number>();
const byPlace = new Map<string, number>();
for (const node of profile.nodes) {
  const hits = node.hitCount ?? 0;
  if (!hits) continue;
  const { functionName, url, lineNumber } = node.callFrame;
  const key = `${functionName || "(anonymous)"}  ${where(url)}${url ? `:${lineNumber + 1}` : ""}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + hits);
  byPlace.set(where(url), (byPlace.get(where(url)) ?? 0) + hits);
}
const show = (title: string, map: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [key, hits] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n)) {
    console.log(`${((100 * hits) / total).toFixed(1).padStart(5)}%  ${key}`);
  }
};
console.log(`${file}: ${((profile.endTime - profile.startTime) / 1e6).toFixed(1)} s, ${total} samples`);
// Total time: each sample counts once for every function on its stack (recursion counted once).
const parentOf = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
const nodeById = new Map(profile.nodes.map((node) => [node.id, node]));
const keyOf = (node: Node) =>
  `${node.callFrame.functionName || "(anonymous)"}  ${where(node.callFrame.url)}${node.callFrame.url ? `:${node.callFrame.lineNumber + 1}` : ""}`;
const inclusive = new Map<string, number>();
for (const node of profile.nodes) {
  const hits = node.hitCount ?? 0;
  if (!hits) continue;
  const keys = new Set<string>();
  for (let at: Node | undefined = node; at; at = nodeById.get(parentOf.get(at.id) ?? -1)) keys.add(keyOf(at));
  for (const key of keys) inclusive.set(key, (inclusive.get(key) ?? 0) + hits);
}
show("self time by function", byFunction);
show("self time by package / file", byPlace);
show("total time by function (self + callees)", inclusive);
