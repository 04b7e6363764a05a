import { methodNotAllowed, route } from "@/lib/api/route";
import { apiKeySchema, updateApiKeySchema } from "@/lib/schemas/access";
import { idParamsSchema } from "@/lib/schemas/ids";
import { deleteKey, updateKey } from "@/lib/services/api-keys";

// PATCH /api/v1/keys/{id} — disable, enable or describe a key
export const PATCH = route(
  { params: idParamsSchema, body: updateApiKeySchema, response: apiKeySchema },
  ({ principal, params, body }) => updateKey(principal, { keyId: params.id, changes: body }),
);

// DELETE /api/v1/keys/{id} — delete a key; it stops working at once
export const DELETE = route({ params: idParamsSchema }, async ({ principal, params }) => {
  await deleteKey(principal, params.id);
});

export const GET = methodNotAllowed("PATCH", "DELETE");
export const POST = methodNotAllowed("PATCH", "DELETE");
export const PUT = methodNotAllowed("PATCH", "DELETE");
