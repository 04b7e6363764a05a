import { forgetUserAccess } from "@/lib/auth/access";
import { generatePassword, hashPassword, verifyPassword } from "@/lib/auth/passwords";
import type { Role, Statement } from "@/lib/auth/permissions";
import type { Principal } from "@/lib/auth/principal";
import { getPrisma } from "@/lib/db/prisma";
import { isUniqueViolation } from "@/lib/db/unique-violation";
import { AppError } from "@/lib/errors";
import type { PolicyStatement, User as UserRow } from "@/lib/generated/prisma/client";
import type { StatementInput, User } from "@/lib/schemas/access";
import { audit, inChangeTransaction } from "./audit";
import { authorize, authorizeGrant } from "./authorize";

// Sub-accounts of an account. The owner is created with the account and cannot be changed here;
// only the owner may change admins; nobody disables themselves; nobody grants more than they hold.

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
  // A creator limited by a resource policy passes it on: the new user starts inside it (§4.9).
  const statements = principal.access.role === "owner" ? [] : principal.access.statements;
  const email = input.email.toLowerCase();
  await authorizeGrant(
    principal,
    { role: input.role, statements, keyPermissions: [] },
    { what: `A new ${input.role}`, action: "user.create", resourceType: "user", resourceName: email },
  );
  const password = input.password ?? generatePassword();
  const exists = () => new AppError("USER_EXISTS", `A user with the email ${email} already exists.`);
  if (await getPrisma().user.findUnique({ where: { email } })) throw exists();
  const passwordHash = await hashPassword(password);
  try {
    const user = await inChangeTransaction(async (tx) => {
      const created = await tx.user.create({
        data: { accountId: principal.accountId, email, name: input.name, role: input.role, passwordHash },
      });
      await tx.policyStatement.createMany({
        data: statements.map((s, position) => ({ accountId: principal.accountId, userId: created.id, position, ...s })),
      });
      await audit(
        principal,
        { action: "user.create", resourceType: "user", resourceName: email, details: { role: input.role, statements } },
        tx,
      );
      return tx.user.findUniqueOrThrow({
        where: { id: created.id },
        include: { policies: { orderBy: { position: "asc" } } },
      });
    });
    return { ...toUser(user), password: input.password ? null : password };
  } catch (error) {
    // Two creates of the same email at once: the unique index decides, the loser hears 409.
    if (isUniqueViolation(error)) throw exists();
    throw error;
  }
}

export async function updateUser(
  principal: Principal,
  {
    userId,
    changes: input,
  }: { userId: string; changes: { name?: string; role?: Exclude<Role, "owner">; isDisabled?: boolean } },
): Promise<User> {
  authorize(principal, "user:manage");
  const target = await findUserOrThrow(principal, userId);
  checkMayChange(principal, target);
  if (input.isDisabled && target.id === principal.userId)
    throw new AppError("FORBIDDEN", "You cannot disable yourself.");
  if (input.role === "admin" && principal.access.role !== "owner") {
    throw new AppError("FORBIDDEN", "Only the owner may make a user an admin.");
  }
  const isRoleChange = input.role !== undefined && input.role !== target.role;
  // Re-enabling a user gives its access back: both are grants.
  if (isRoleChange || (input.isDisabled === false && target.isDisabled)) {
    const role = (input.role ?? target.role) as Role;
    const action = isRoleChange ? "user.update" : "user.enable";
    await authorizeGrant(
      principal,
      { role, statements: statementsOf(target), keyPermissions: [] },
      { what: target.email, action, resourceType: "user", resourceName: target.email },
    );
  }
  // A new role or disabling ends the user's console sessions (a later enable does not revive them).
  const endsSessions = isRoleChange || input.isDisabled === true;
  const user = await inChangeTransaction(async (tx) => {
    const updated = await tx.user.update({
      where: { id: target.id },
      data: {
        ...input,
        ...(endsSessions ? { sessionGeneration: { increment: 1 } } : {}),
        updatedAt: new Date(),
      },
      include: { policies: { orderBy: { position: "asc" } } },
    });
    const action =
      input.isDisabled === true ? "user.disable" : input.isDisabled === false ? "user.enable" : "user.update";
    await audit(principal, { action, resourceType: "user", resourceName: updated.email, details: input }, tx);
    return updated;
  });
  forgetUserAccess(user.id);
  return toUser(user);
}

/** Replaces the user's resource policy with these statements (in order). */
export async function setUserPolicy(
  principal: Principal,
  { userId, statements }: { userId: string; statements: StatementInput[] },
): Promise<User> {
  authorize(principal, "user:manage");
  const target = await findUserOrThrow(principal, userId);
  checkMayChange(principal, target);
  await authorizeGrant(
    principal,
    { role: target.role as Role, statements, keyPermissions: [] },
    { what: `${target.email}'s policy`, action: "user.policy", resourceType: "user", resourceName: target.email },
  );
  await inChangeTransaction(async (tx) => {
    await tx.policyStatement.deleteMany({ where: { userId: target.id } });
    await tx.policyStatement.createMany({
      data: statements.map((s, position) => ({ accountId: principal.accountId, userId: target.id, position, ...s })),
    });
    await audit(
      principal,
      { action: "user.policy", resourceType: "user", resourceName: target.email, details: { statements } },
      tx,
    );
  });
  forgetUserAccess(target.id);
  return toUser(await findUserOrThrow(principal, userId));
}

/** Changes the caller's password and ends all of the caller's console sessions, this one included. */
export async function changeOwnPassword(
  principal: Principal,
  { currentPassword, newPassword }: { currentPassword: string; newPassword: string },
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
  const passwordHash = await hashPassword(newPassword);
  await inChangeTransaction(async (tx) => {
    await tx.user.update({
      where: { id: user.id },
      data: { passwordHash, sessionGeneration: { increment: 1 }, updatedAt: new Date() },
    });
    await audit(principal, { action: "user.password", resourceType: "user", resourceName: user.email }, tx);
  });
  forgetUserAccess(user.id);
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

const statementsOf = (user: UserWithPolicies): Statement[] =>
  user.policies.map((p) => ({ effect: p.effect as Statement["effect"], actions: p.actions, resources: p.resources }));

function toUser(user: UserWithPolicies): User {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role as Role,
    isDisabled: user.isDisabled,
    createdAt: user.createdAt.toISOString(),
    lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
    statements: statementsOf(user),
  };
}
