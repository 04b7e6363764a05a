// Runs `prisma generate` without network access. The CLI insists on locating the native schema
// engine before generating, although generation never executes it; pointing it at an existing
// file satisfies that check. Never use this trick for migrate/db commands (they would silently
// do nothing): migrations are applied by lib/db/migrate.ts.
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const cli = require.resolve("prisma/build/index.js");
execFileSync(process.execPath, [cli, "generate"], {
  stdio: "inherit",
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
    PRISMA_ENGINES_CHECKSUM_IGNORE_MISSING: "1",
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
  },
});
