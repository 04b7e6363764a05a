// `npm run test:faults [-- --short] [-- --only a1,d] [-- --repeat 3] [-- --keep]`: the fault-injection
// suite (issue 14). Starts its own PostgreSQL servers (the embedded package's binaries) and the
// app's compiled front, runs producers and consumers through the REST API, injects each fault
// mid-load, and prints per case: acknowledged / received / lost / duplicated (why) / recovery time.
// Exit code 1 when any case fails a check. See docs/deployment.md for what the cases stand for.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import { childrenOf, runningApps } from "./app";
import { allCases, type CaseResult, runCases, timings } from "./cases";
import { runningServers } from "./pg-node";

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const value = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
// The short form leaves out a1 and b1: a2 and b2 crash the same parts (with two processes), and
// e2e/api/db-outage.spec.ts already stops and restarts PostgreSQL under load in every npm test; d,
// which d2 runs with two processes; and n (no fault, a measurement: two app starts more).
const shortCases = ["a2", "b2", "c", "d2", "e"];
if (flag("help")) {
  console.log(`npm run test:faults -- [--short] [--only ${Object.keys(allCases).join(",")}] [--repeat n] [--keep]
  --short   the CI form: shorter phases, cases ${shortCases.join(",")} (1½–3 minutes on a busy 2-core machine)
  --only    the cases to run (default: all; with --short, those five)
  --repeat  run each case n times in a row (the failover's acceptance: --only d2 --repeat 3)
  --keep    keep .data/faults (servers' data and logs) afterwards`);
  process.exit(0);
}
const isShort = flag("short");
const only = value("only")?.split(",").filter(Boolean) ?? (isShort ? shortCases : Object.keys(allCases));
const repeat = Number(value("repeat") ?? 1);
const distDir = process.env.NEXT_DIST_DIR || ".next";
const root = path.resolve(".data", "faults");
const say = (line: string) => console.log(`[faults] ${line}`);

function ensureBuild() {
  if (existsSync(path.join(distDir, "front", "server.js")) && existsSync(path.join(distDir, "BUILD_ID"))) return;
  say(`no build in ${distDir}: npm run build`);
  const build = spawnSync("npm", ["run", "build"], { stdio: "inherit", env: process.env });
  if (build.status !== 0) throw new Error("npm run build failed");
}

const ms = (n: number | null) => (n === null ? "—" : `${(n / 1000).toFixed(2)} s`);

function print(results: CaseResult[]) {
  const rows = results.map((r) => {
    const s = r.summary;
    return [
      r.id,
      String(s.acknowledged),
      String(s.received),
      String(s.lost.length),
      String(s.duplicated),
      `${s.unacknowledgedSends} / ${s.unacknowledgedDelivered}`,
      ms(r.recoveryMs),
      ms(r.longestGapMs),
      r.checks.every((c) => c.ok) ? "PASS" : "FAIL",
    ];
  });
  const head = [
    "case",
    "acked",
    "received",
    "lost",
    "duplicated",
    "unacked sent / delivered",
    "recovery",
    "longest gap",
    "",
  ];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] as number)).join("  ");
  console.log(`\n${line(head)}\n${widths.map((w) => "-".repeat(w)).join("  ")}`);
  for (const row of rows) console.log(line(row));
  for (const r of results) {
    const s = r.summary;
    console.log(`\n${r.id}: ${r.title}`);
    for (const figure of r.figures) console.log(`  · ${figure}`);
    for (const [why, n] of s.duplicateReasons) console.log(`  · duplicated ${n}: ${why}`);
    const errors = [...s.errors].map(([kind, n]) => `${kind} ×${n}`);
    console.log(`  · client errors: ${errors.length ? errors.join(", ") : "none"}`);
    if (s.lost.length) console.log(`  · LOST: ${s.lost.slice(0, 20).join(", ")}${s.lost.length > 20 ? " …" : ""}`);
    for (const check of r.checks) console.log(`  ${check.ok ? "ok  " : "FAIL"} ${check.what}`);
  }
  console.log(
    "\nacked: sends answered 201; lost: acked, never received; duplicated: acked messages received more than once;",
  );
  console.log(
    "unacked: sends that failed or got no answer (fate unknown) / of those, delivered anyway; recovery: fault → first acked send asked after it.",
  );
}

// Stopped from outside (Ctrl-C, a CI timeout): leave no PostgreSQL running (each is its own process
// group) nor app process.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    const kill = (pid: number) => {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // gone already
      }
    };
    for (const pid of runningApps) for (const worker of [pid, ...childrenOf(pid)]) kill(worker);
    for (const group of runningServers) kill(-group);
    process.exit(130);
  });
}

/**
 * The servers' data (about 1 GB after the short form) goes after this process: renamed aside and
 * removed by a background `rm -rf` — deleting it in place took 14 s of a busy disk at the end of a
 * run. Leftovers of an earlier run whose removal was cut short go the same way.
 */
function removeInBackground(dir: string) {
  const aside = `${dir}.old-${process.pid}-${Date.now()}`;
  renameSync(dir, aside);
  spawn("rm", ["-rf", aside], { detached: true, stdio: "ignore" }).unref();
}

async function main() {
  ensureBuild();
  const parent = path.dirname(root);
  for (const name of existsSync(parent) ? readdirSync(parent) : []) {
    if (name.startsWith(`${path.basename(root)}.old-`)) removeInBackground(path.join(parent, name));
  }
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  const timing = isShort ? timings.short : timings.full;
  const started = Date.now();
  const results = await runCases({ root, distDir, say }, only, timing, repeat);
  print(results);
  const failed = results.filter((r) => !r.checks.every((c) => c.ok));
  say(`${results.length - failed.length} of ${results.length} cases passed in ${ms(Date.now() - started)}`);
  if (!flag("keep") && failed.length === 0) removeInBackground(root);
  else say(`data and logs kept in ${root}`);
  process.exit(failed.length ? 1 : 0);
}

main().catch((error) => {
  console.error(`[faults] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
