import { forgetUserAccess } from "@/lib/auth/access";
import { generatePassword, hashPassword, verifyPassword } from "@/lib/auth/passwords";
import type { Role, Statement } from "@/lib/auth/permissions";
import type { Principal } from "@/lib/auth/principal";
import { getPrisma } from "@/lib/db/prisma";
import { AppError } from "@/lib/errors";
import type { PolicyStatement, User as UserRow } from "@/lib/generated/prisma/client";
import type { StatementInput, User } from "@/lib/schemas/access";
import { audit } from "./audit";
import { authorize } from "./authorize";

// Sub-accounts of an account. The owner is created with the account and cannot be changed here;
// only the owner may change admins; nobody disables themselves.

type UserWithPolicies = UserRow & { policies: PolicyStatement[] };

export async function listUsers(principal: Principal): Promise<User[]> {
  authorize(principal, "user:read");
  const users = await getPrisma().user.findMany({
    where: { accountId: principal.accountId },
    orderBy: { createdAt: "asc" },
    include: { policies: { orderBy: { position: "asc" } } },
  });
  return users.map(toUser);
}

export async function createUser(
  principal: Principal,
  input: { email: string; name: string; role: Exclude<Role, "owner">; password?: string },
): Promise<User & { password: string | null }> {
  authorize(principal, "user:manage");
  if (input.role === "admin" && principal.access.role !== "owner") {
    throw new AppError("FORBIDDEN", "Only the owner may create admins.");
  }
  const password = input.password ?? generatePassword();
  const email = input.email.toLowerCase();
  if (await getPrisma().user.findUnique({ where: { email } })) {
    throw new AppError("USER_EXISTS", `A user with the email ${email} already exists.`);
  }
  const user = await getPrisma().user.create({
    data: {
      accountId: principal.accountId,
      email,
      name: input.name,
      role: input.role,
      passwordHash: await hashPassword(password),
    },
    include: { policies: true },
  });
  await audit(principal, {
    action: "user.create",
    resourceType: "user",
    resourceName: email,
    details: { role: input.role },
  });
  return { ...toUser(user), password: input.password ? null : password };
}

export async function updateUser(
  principal: Principal,
  userId: string,
  input: { name?: string; role?: Exclude<Role, "owner">; isDisabled?: boolean },
): Promise<User> {
  authorize(principal, "user:manage");
  const target = await findUserOrThrow(principal, userId);
  checkMayChange(principal, target);
  if (input.isDisabled && target.id === principal.userId)
    throw new AppError("FORBIDDEN", "You cannot disable yourself.");
  if (input.role === "admin" && principal.access.role !== "owner") {
    throw new AppError("FORBIDDEN", "Only the owner may make a user an admin.");
  }
  const user = await getPrisma().user.update({
    where: { id: target.id },
    data: { ...input, updatedAt: new Date() },
    include: { policies: { orderBy: { position: "asc" } } },
  });
  forgetUserAccess(user.id);
  const action =
    input.isDisabled === true ? "user.disable" : input.isDisabled === false ? "user.enable" : "user.update";
  await audit(principal, { action, resourceType: "user", resourceName: user.email, details: input });
  return toUser(user);
}

/** Replaces the user's resource policy with these statements (in order). */
export async function setUserPolicy(principal: Principal, userId: string, statements: StatementInput[]): Promise<User> {
  authorize(principal, "user:manage");
  const target = await findUserOrThrow(principal, userId);
  checkMayChange(principal, target);
  const prisma = getPrisma();
  await prisma.$transaction([
    prisma.policyStatement.deleteMany({ where: { userId: target.id } }),
    prisma.policyStatement.createMany({
      data: statements.map((s, position) => ({ accountId: principal.accountId, userId: target.id, position, ...s })),
    }),
  ]);
  forgetUserAccess(target.id);
  await audit(principal, {
    action: "user.policy",
    resourceType: "user",
    resourceName: target.email,
    details: { statements },
  });
  return toUser(await findUserOrThrow(principal, userId));
}

export async function changeOwnPassword(
  principal: Principal,
  currentPassword: string,
  newPassword: string,
): Promise<void> {
  if (principal.via !== "session") throw new AppError("FORBIDDEN", "Change your password from the console.");
  const user = await getPrisma().user.findUniqueOrThrow({ where: { id: principal.userId } });
  if (!(await verifyPassword(currentPassword, user.passwordHash, { whenBusy: "refuse" }))) {
    await audit(principal, {
      action: "user.password",
      resourceType: "user",
      resourceName: user.email,
      outcome: "failure",
    });
    throw new AppError("PASSWORD_INCORRECT", "The current password is wrong.");
  }
  await getPrisma().user.update({
    where: { id: user.id },
    data: { passwordHash: await hashPassword(newPassword), updatedAt: new Date() },
  });
  await audit(principal, { action: "user.password", resourceType: "user", resourceName: user.email });
}

async function findUserOrThrow(principal: Principal, userId: string): Promise<UserWithPolicies> {
  const user = /^[0-9a-f-]{36}$/i.test(userId)
    ? await getPrisma().user.findFirst({
        where: { id: userId, accountId: principal.accountId },
        include: { policies: { orderBy: { position: "asc" } } },
      })
    : null;
  if (!user) throw new AppError("USER_NOT_FOUND", "No such user in this account.");
  return user;
}

function checkMayChange(principal: Principal, target: UserRow) {
  if (target.role === "owner") throw new AppError("FORBIDDEN", "The owner cannot be changed.");
  if (target.role === "admin" && principal.access.role !== "owner") {
    throw new AppError("FORBIDDEN", "Only the owner may change admins.");
  }
}

function toUser(user: UserWithPolicies): User {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role as Role,
    isDisabled: user.isDisabled,
    createdAt: user.createdAt.toISOString(),
    lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
    statements: user.policies.map((p) => ({
      effect: p.effect as Statement["effect"],
      actions: p.actions,
      resources: p.resources,
    })),
  };
}
