// `npm run admin -- <command>`: administration from the shell, against the same database as
// `npm start`. Runs as the installation's operator through the services the APIs use (as the CLI
// principal, lib/auth/principal.ts): the same rules apply, and every change is audited as "cli".
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
  // Loaded after DATABASE_URL is set. The CLI changes nothing itself: it calls the services the APIs
  // call, as the CLI principal, so their rules and their audit apply to it alike.
  const { getPrisma } = await import("@/lib/db/prisma");
  const { parseOrThrow } = await import("@/lib/api/validation");
  const { cliPrincipal } = await import("@/lib/auth/principal");
  const { createApiKeySchema, createUserSchema } = await import("@/lib/schemas/access");
  const { createAccountWithOwner } = await import("@/lib/services/accounts");
  const { createKey, listKeys, updateKey } = await import("@/lib/services/api-keys");
  const { createUser } = await import("@/lib/services/users");
  const prisma = getPrisma();
  const str = (name: string) => (typeof values[name] === "string" ? (values[name] as string) : undefined);
  /** The owner of this account, or of the oldest one. */
  const ownerOf = async (accountId?: string) => {
    const owner = await prisma.user.findFirst({
      where: { role: "owner", ...(accountId ? { accountId } : {}) },
      orderBy: { createdAt: "asc" },
    });
    if (!owner)
      throw new Error(accountId ? `No account ${accountId}.` : "No account exists yet: run `npm start` once.");
    return owner;
  };

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
      const created = await createAccountWithOwner({ accountName: name, email, byCli: true });
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
      const input = parseOrThrow(createUserSchema, { email, role, name: str("name") ?? email }, "arguments");
      const created = await createUser(cliPrincipal(await ownerOf(str("account"))), input);
      console.log(`Created ${role} ${created.email}. Password, shown only now: ${created.password}`);
      return;
    }
    case "keys list": {
      const accountId = str("account");
      const owners = accountId
        ? [await ownerOf(accountId)]
        : await prisma.user.findMany({ where: { role: "owner" }, orderBy: { createdAt: "asc" } });
      for (const owner of owners) {
        const keys = await listKeys(cliPrincipal(owner));
        console.table(
          keys.map((k) => ({
            account: owner.accountId,
            secretId: k.secretId,
            description: k.description,
            disabled: k.isDisabled,
            lastUsedAt: k.lastUsedAt ?? "never",
          })),
        );
      }
      return;
    }
    case "keys create": {
      const email = str("email");
      const user = email ? await prisma.user.findUnique({ where: { email: email.toLowerCase() } }) : await ownerOf();
      if (!user) throw new Error(`No user with email ${email}.`);
      const input = parseOrThrow(
        createApiKeySchema,
        { description: str("description") ?? "created with npm run admin" },
        "arguments",
      );
      // The key is the user's: the CLI acts on the user's behalf.
      const key = await createKey(cliPrincipal(user), input);
      console.log(
        `Created an API key for ${user.email}. The SecretKey is shown only now:\n  SecretId  ${key.secretId}\n  SecretKey ${key.secretKey}`,
      );
      return;
    }
    case "keys disable": {
      const secretId = str("secret-id");
      const key = secretId ? await prisma.apiKey.findUnique({ where: { secretId }, include: { user: true } }) : null;
      if (!key) throw new Error("keys disable needs --secret-id of an existing key");
      // As the key's user, with the owner's rank: only the owner may enable the key again.
      await updateKey(cliPrincipal(key.user), key.id, { isDisabled: true });
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
