import { randomBytes } from "node:crypto";
import type { Principal } from "@/lib/auth/principal";
import { getPrisma } from "@/lib/db/prisma";
import type { CreateQueueInput } from "@/lib/schemas/queue";
import { createQueue } from "@/lib/services/queues";

export const uniqueName = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;

/** A fresh account with one owner; no password work (tests that log in create their own). */
export async function createTestPrincipal(): Promise<Principal> {
  const prisma = getPrisma();
  const account = await prisma.account.create({ data: { name: uniqueName("acct") } });
  const user = await prisma.user.create({
    data: {
      accountId: account.id,
      email: `${uniqueName("u")}@test.local`,
      name: "Test",
      passwordHash: "x",
      role: "owner",
    },
  });
  return {
    accountId: account.id,
    userId: user.id,
    via: "apiKey",
    label: user.email,
    access: { role: "owner", statements: [], keyPermissions: [] },
  };
}

export async function createTestQueue(principal: Principal, input: Partial<CreateQueueInput> = {}) {
  return createQueue(principal, { name: uniqueName("q"), ...input });
}
