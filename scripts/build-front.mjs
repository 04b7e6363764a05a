// Compiles the front (scripts/front.ts, lib/front and the route handlers it calls) into
// <distDir>/front/server.js, after `next build`: production code is compiled ahead, not on load.
// Packages stay external (loaded from node_modules, as Next's server loads them).
import path from "node:path";
import { build } from "esbuild";

const distDir = process.env.NEXT_DIST_DIR || ".next";
const outfile = path.join(distDir, "front", "server.js");
await build({
  entryPoints: ["scripts/front.ts"],
  outfile,
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  packages: "external",
  tsconfig: "tsconfig.json",
  sourcemap: true,
  logLevel: "warning",
});
console.log(`front compiled to ${outfile}`);
