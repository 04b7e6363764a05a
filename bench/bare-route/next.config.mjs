import path from "node:path";

// The bench's "bare route" baseline: one Next route handler doing the app's INSERT through `pg`,
// without auth, validation or services. Built with `next build bench/bare-route`; it shares the
// repository's node_modules and imports lib/store/messages.ts, so the SQL is the app's own.
const root = path.resolve(import.meta.dirname, "../..");

/** @type {import('next').NextConfig} */
const nextConfig = {
  distDir: ".next-bench",
  serverExternalPackages: ["pg"],
  poweredByHeader: false,
  typescript: { ignoreBuildErrors: true },
  turbopack: { root },
  outputFileTracingRoot: root,
};

export default nextConfig;
