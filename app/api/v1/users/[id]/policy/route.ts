import { methodNotAllowed, route } from "@/lib/api/route";
import { policySchema, userSchema } from "@/lib/schemas/access";
import { idParamsSchema } from "@/lib/schemas/ids";
import { setUserPolicy } from "@/lib/services/users";

// PUT /api/v1/users/{id}/policy — replace the user's resource policy (allow/deny statements)
export const PUT = route(
  { params: idParamsSchema, body: policySchema, response: userSchema },
  ({ principal, params, body }) => setUserPolicy(principal, { userId: params.id, statements: body.statements }),
);

export const GET = methodNotAllowed("PUT");
export const POST = methodNotAllowed("PUT");
export const PATCH = methodNotAllowed("PUT");
export const DELETE = methodNotAllowed("PUT");
