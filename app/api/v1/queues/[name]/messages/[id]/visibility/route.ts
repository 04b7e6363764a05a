import { methodNotAllowed, route } from "@/lib/api/route";
import { changedVisibilityByIdSchema, changeVisibilityByIdSchema, messageIdParamsSchema } from "@/lib/schemas/rewind";
import { changeMessageVisibilityById } from "@/lib/services/visibility";

// POST /api/v1/queues/{name}/messages/{id}/visibility — an operator hides an in-flight or delayed message longer, or shows it now
export const POST = route(
  { body: changeVisibilityByIdSchema, params: messageIdParamsSchema, response: changedVisibilityByIdSchema },
  ({ principal, params, body }) =>
    changeMessageVisibilityById(principal, {
      queueName: params.name,
      id: params.id,
      visibilityTimeout: body.visibilityTimeout,
    }),
);

export const GET = methodNotAllowed("POST");
export const PUT = methodNotAllowed("POST");
export const PATCH = methodNotAllowed("POST");
export const DELETE = methodNotAllowed("POST");
