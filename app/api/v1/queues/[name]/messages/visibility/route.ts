import { methodNotAllowed, route } from "@/lib/api/route";
import { changedVisibilitySchema, changeVisibilitySchema } from "@/lib/schemas/rewind";
import { changeMessageVisibility } from "@/lib/services/visibility";

// POST /api/v1/queues/{name}/messages/visibility — extend or end a lease by its receipt handle
export const POST = route(
  { body: changeVisibilitySchema, response: changedVisibilitySchema },
  ({ principal, params, body }) => changeMessageVisibility(principal, { queueName: params.name ?? "", ...body }),
);

export const GET = methodNotAllowed("POST");
export const PUT = methodNotAllowed("POST");
export const PATCH = methodNotAllowed("POST");
export const DELETE = methodNotAllowed("POST");
