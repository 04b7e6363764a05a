import { methodNotAllowed, route } from "@/lib/api/route";
import { changePasswordSchema } from "@/lib/schemas/access";
import { changeOwnPassword } from "@/lib/services/users";

// POST /api/v1/me/password — change the signed-in user's password (console session only)
export const POST = route({ body: changePasswordSchema }, async ({ principal, body }) => {
  await changeOwnPassword(principal, body);
});

export const GET = methodNotAllowed("POST");
export const PUT = methodNotAllowed("POST");
export const PATCH = methodNotAllowed("POST");
export const DELETE = methodNotAllowed("POST");
