import { createApiKey } from "@/lib/auth/api-keys";
import { generatePassword, hashPassword, verifyPassword } from "@/lib/auth/passwords";
import { getPrisma } from "@/lib/db/prisma";

/** Creates an account with its owner and a first API key. The secrets are returned once. */
export async function createAccountWithOwner(options: { accountName: string; email: string; password?: string }) {
  const password = options.password ?? generatePassword();
  const passwordHash = await hashPassword(password);
  const prisma = getPrisma();
  const { account, user } = await prisma.$transaction(async (tx) => {
    const account = await tx.account.create({ data: { name: options.accountName } });
    const user = await tx.user.create({
      data: { accountId: account.id, email: options.email.toLowerCase(), name: "Owner", passwordHash, role: "owner" },
    });
    return { account, user };
  });
  const key = await createApiKey({ accountId: account.id, userId: user.id, description: "first key" });
  return {
    accountId: account.id,
    userId: user.id,
    email: user.email,
    password,
    secretId: key.secretId,
    secretKey: key.secretKey,
  };
}

/** First start: creates the owner account when the installation has none. Returns its secrets once. */
export async function ensureFirstAccount(email: string) {
  if ((await getPrisma().account.count()) > 0) return null;
  return createAccountWithOwner({ accountName: "default", email });
}

/** Checks a console login. Returns the user, or null for any failure (no hint which part was wrong). */
export async function verifyLogin(email: string, password: string) {
  const user = await getPrisma().user.findUnique({ where: { email: email.toLowerCase() } });
  if (!user || user.isDisabled) {
    await hashPassword(password); // spend the same time as a real check
    return null;
  }
  if (!(await verifyPassword(password, user.passwordHash))) return null;
  return { id: user.id, accountId: user.accountId, email: user.email, name: user.name, role: user.role };
}
