import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

// Settings of a running installation, from the environment with zero-setup defaults.
export const config = {
  port: Number(process.env.PORT ?? 3000),
  dataDir: process.env.OPENCMQ_DATA_DIR ?? path.join(process.cwd(), ".data"),
  embeddedPgPort: Number(process.env.OPENCMQ_PG_PORT ?? 54329),
  databaseUrl: process.env.DATABASE_URL,
  ownerEmail: process.env.OPENCMQ_OWNER_EMAIL ?? "admin@opencmq.local",
};

/**
 * Server secrets (master key for SecretKeys at rest, next-auth's signing secret, the embedded
 * PostgreSQL superuser's password): from the environment, else generated once into
 * <dataDir>/secrets.json (mode 600) and reused. A secret missing from an older file is added to it.
 */
export function loadServerSecrets(dataDir: string): { masterKey: string; nextAuthSecret: string; pgPassword: string } {
  const file = path.join(dataDir, "secrets.json");
  let stored: { masterKey?: string; nextAuthSecret?: string; pgPassword?: string } = {};
  if (existsSync(file)) stored = JSON.parse(readFileSync(file, "utf8"));
  const generate = () => randomBytes(32).toString("base64url");
  const secrets = {
    masterKey: process.env.OPENCMQ_MASTER_KEY ?? stored.masterKey ?? generate(),
    nextAuthSecret: process.env.NEXTAUTH_SECRET ?? stored.nextAuthSecret ?? generate(),
    pgPassword: stored.pgPassword ?? generate(),
  };
  if (!existsSync(file) || !stored.pgPassword) {
    mkdirSync(dataDir, { recursive: true });
    // Keep what an older file held (a secret may have come from the environment this time).
    writeFileSync(file, JSON.stringify({ ...secrets, ...stored, pgPassword: secrets.pgPassword }, null, 2), {
      mode: 0o600,
    });
  }
  return secrets;
}
