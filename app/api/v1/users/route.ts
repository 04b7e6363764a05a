import { methodNotAllowed, route } from "@/lib/api/route";
import { createdUserSchema, createUserSchema, userListSchema } from "@/lib/schemas/access";
import { createUser, listUsers } from "@/lib/services/users";

// GET /api/v1/users — the account's users with their roles and policies
export const GET = route({ response: userListSchema }, async ({ principal }) => ({
  users: await listUsers(principal),
}));

// POST /api/v1/users — create a sub-account; a generated password is returned once
export const POST = route({ body: createUserSchema, response: createdUserSchema, status: 201 }, ({ principal, body }) =>
  createUser(principal, body),
);

export const PUT = methodNotAllowed("GET", "POST");
export const PATCH = methodNotAllowed("GET", "POST");
export const DELETE = methodNotAllowed("GET", "POST");
