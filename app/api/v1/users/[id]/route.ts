import { methodNotAllowed, route } from "@/lib/api/route";
import { updateUserSchema, userSchema } from "@/lib/schemas/access";
import { idParamsSchema } from "@/lib/schemas/ids";
import { updateUser } from "@/lib/services/users";

// PATCH /api/v1/users/{id} — rename, change role, disable or enable a user
export const PATCH = route(
  { params: idParamsSchema, body: updateUserSchema, response: userSchema },
  ({ principal, params, body }) => updateUser(principal, { userId: params.id, changes: body }),
);

export const GET = methodNotAllowed("PATCH");
export const POST = methodNotAllowed("PATCH");
export const PUT = methodNotAllowed("PATCH");
export const DELETE = methodNotAllowed("PATCH");
