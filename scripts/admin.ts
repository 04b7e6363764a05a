// `npm run admin -- <command>`: administration from the shell, against the same database as `npm start`.
//   keys list [--account <id>]                 list API keys (never their secrets)
//   keys create [--email <owner email>] [--description <text>]   create a key; the SecretKey is shown once
//   accounts list                              list accounts and their owners
import { parseArgs } from "node:util";
import { config, loadServerSecrets } from "@/lib/config";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import { closePool } from "@/lib/db/pool";

const usage = `usage: npm run admin -- keys list | keys create [--email E] [--description D] | accounts list`;

async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { email: { type: "string" }, description: { type: "string" }, account: { type: "string" } },
  });
  const [group, command] = positionals;
  if (!group || !command) throw new Error(usage);

  process.env.OPENCMQ_MASTER_KEY = loadServerSecrets(config.dataDir).masterKey;
  let stop = async () => {};
  if (!config.databaseUrl) {
    const db = await startEmbeddedPostgres({
      dataDir: config.dataDir,
      port: config.embeddedPgPort,
      database: "opencmq",
    });
    process.env.DATABASE_URL = db.url;
    stop = db.stop;
  }
  try {
    await migrate(process.env.DATABASE_URL ?? "");
    const { getPrisma } = await import("@/lib/db/prisma");
    const { createApiKey, listApiKeys } = await import("@/lib/auth/api-keys");
    const prisma = getPrisma();
    if (group === "accounts" && command === "list") {
      const accounts = await prisma.account.findMany({ include: { users: { where: { role: "owner" } } } });
      console.table(accounts.map((a) => ({ id: a.id, name: a.name, owner: a.users[0]?.email ?? "" })));
    } else if (group === "keys" && command === "list") {
      const accounts = values.account
        ? [{ id: values.account }]
        : await prisma.account.findMany({ select: { id: true } });
      for (const a of accounts) {
        const keys = await listApiKeys(a.id);
        console.table(
          keys.map((k) => ({
            account: a.id,
            secretId: k.secretId,
            description: k.description,
            disabled: k.isDisabled,
            lastUsedAt: k.lastUsedAt?.toISOString() ?? "never",
            createdAt: k.createdAt.toISOString(),
          })),
        );
      }
    } else if (group === "keys" && command === "create") {
      const owner = values.email
        ? await prisma.user.findUnique({ where: { email: values.email.toLowerCase() } })
        : await prisma.user.findFirst({ where: { role: "owner" }, orderBy: { createdAt: "asc" } });
      if (!owner)
        throw new Error(
          values.email ? `No user with email ${values.email}.` : "No account exists yet: run `npm start` once.",
        );
      const key = await createApiKey({
        accountId: owner.accountId,
        userId: owner.id,
        description: values.description ?? "created with npm run admin",
      });
      console.log(
        `Created an API key for ${owner.email}. The SecretKey is shown only now:\n  SecretId  ${key.secretId}\n  SecretKey ${key.secretKey}`,
      );
    } else {
      throw new Error(usage);
    }
  } finally {
    await closePool();
    await stop();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
