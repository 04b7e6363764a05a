// `npm run admin -- <command>`: administration from the shell, against the same database as
// `npm start`. Runs as the installation's operator; every change is written to the audit log as "cli".
//   accounts list
//   accounts create --name <name> --email <owner email>     a new, fully separate account
//   users create --email <e> --role admin|developer|readonly [--account <id>] [--name <n>]
//   keys list [--account <id>]                                (never shows SecretKeys)
//   keys create [--email <user email>] [--description <text>] the SecretKey is shown once
//   keys disable --secret-id <AKID…>
import { parseArgs } from "node:util";
import { fillInSettings, loadServerSecrets, settings } from "@/lib/config";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import type { Db } from "@/lib/services/audit";

const usage = `usage: npm run admin -- accounts list | accounts create --name N --email E
       | users create --email E --role admin|developer|readonly [--account ID] [--name N]
       | keys list [--account ID] | keys create [--email E] [--description D] | keys disable --secret-id AKID…`;

async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      email: { type: "string" },
      description: { type: "string" },
      account: { type: "string" },
      name: { type: "string" },
      role: { type: "string" },
      "secret-id": { type: "string" },
    },
  });
  const command = positionals.join(" ");
  if (!command) throw new Error(usage);

  const config = settings();
  const secrets = loadServerSecrets(config.dataDir, config);
  fillInSettings({ OPENCMQ_MASTER_KEY: secrets.masterKey });
  let stop = async () => {};
  if (!config.databaseUrl) {
    const db = await startEmbeddedPostgres({
      dataDir: config.dataDir,
      port: config.embeddedPgPort,
      database: "opencmq",
      password: secrets.pgPassword,
    });
    fillInSettings({ DATABASE_URL: db.url });
    stop = db.stop;
  }
  try {
    await migrate(settings().databaseUrl ?? "");
    await run(command, values);
  } finally {
    const { closePool } = await import("@/lib/db/pool");
    await closePool();
    await stop();
  }
}

async function run(command: string, values: Record<string, string | boolean | undefined>) {
  const { getPrisma } = await import("@/lib/db/prisma");
  const { createApiKey, listApiKeys, forgetApiKey } = await import("@/lib/auth/api-keys");
  const { createAccountWithOwner } = await import("@/lib/services/accounts");
  const { writeAudit, inChangeTransaction } = await import("@/lib/services/audit");
  const { generatePassword, hashPassword } = await import("@/lib/auth/passwords");
  const prisma = getPrisma();
  const str = (name: string) => (typeof values[name] === "string" ? (values[name] as string) : undefined);
  // Each change commits with its audit row (tx) or not at all.
  const cliAudit = (
    tx: Db,
    accountId: string,
    action: string,
    resourceType: "account" | "user" | "apikey",
    resourceName: string,
    details = {},
  ) =>
    writeAudit(
      {
        accountId,
        actorType: "cli",
        actorId: null,
        actorLabel: "admin CLI",
        via: "cli",
        action,
        resourceType,
        resourceName,
        details,
      },
      tx,
    );

  switch (command) {
    case "accounts list": {
      const accounts = await prisma.account.findMany({
        include: { users: { where: { role: "owner" } } },
        orderBy: { createdAt: "asc" },
      });
      console.table(accounts.map((a) => ({ id: a.id, name: a.name, owner: a.users[0]?.email ?? "" })));
      return;
    }
    case "accounts create": {
      const name = str("name");
      const email = str("email");
      if (!name || !email) throw new Error("accounts create needs --name and --email");
      const created = await createAccountWithOwner({
        accountName: name,
        email,
        auditAs: { actorLabel: "admin CLI", via: "cli" },
      });
      console.log(
        `Created account ${name} (${created.accountId}). Shown only now:\n  console login   ${created.email} / ${created.password}\n  API SecretId    ${created.secretId}\n  API SecretKey   ${created.secretKey}`,
      );
      return;
    }
    case "users create": {
      const email = str("email")?.toLowerCase();
      const role = str("role");
      if (!email || !role || !["admin", "developer", "readonly"].includes(role))
        throw new Error("users create needs --email and --role admin|developer|readonly");
      const accountId = str("account") ?? (await prisma.account.findFirst({ orderBy: { createdAt: "asc" } }))?.id;
      if (!accountId) throw new Error("No account exists yet: run `npm start` once.");
      const password = generatePassword();
      const passwordHash = await hashPassword(password);
      await inChangeTransaction(async (tx) => {
        await tx.user.create({ data: { accountId, email, name: str("name") ?? email, role, passwordHash } });
        await cliAudit(tx, accountId, "user.create", "user", email, { role });
      });
      console.log(`Created ${role} ${email}. Password, shown only now: ${password}`);
      return;
    }
    case "keys list": {
      const accounts = str("account")
        ? [{ id: str("account") as string }]
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
          })),
        );
      }
      return;
    }
    case "keys create": {
      const email = str("email");
      const user = email
        ? await prisma.user.findUnique({ where: { email: email.toLowerCase() } })
        : await prisma.user.findFirst({ where: { role: "owner" }, orderBy: { createdAt: "asc" } });
      if (!user)
        throw new Error(email ? `No user with email ${email}.` : "No account exists yet: run `npm start` once.");
      const key = await inChangeTransaction(async (tx) => {
        const created = await createApiKey(
          {
            accountId: user.accountId,
            userId: user.id,
            description: str("description") ?? "created with npm run admin",
          },
          tx,
        );
        await cliAudit(tx, user.accountId, "apikey.create", "apikey", created.secretId, { for: user.email });
        return created;
      });
      console.log(
        `Created an API key for ${user.email}. The SecretKey is shown only now:\n  SecretId  ${key.secretId}\n  SecretKey ${key.secretKey}`,
      );
      return;
    }
    case "keys disable": {
      const secretId = str("secret-id");
      const key = secretId ? await prisma.apiKey.findUnique({ where: { secretId } }) : null;
      if (!key) throw new Error("keys disable needs --secret-id of an existing key");
      await inChangeTransaction(async (tx) => {
        // The installation's operator ranks with the owner: only the owner may enable the key again.
        await tx.apiKey.update({ where: { id: key.id }, data: { isDisabled: true, disabledByRole: "owner" } });
        await cliAudit(tx, key.accountId, "apikey.disable", "apikey", key.secretId);
      });
      forgetApiKey(key.secretId);
      console.log(`Disabled ${key.secretId}; running servers stop accepting it within 5 s.`);
      return;
    }
    default:
      throw new Error(usage);
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
