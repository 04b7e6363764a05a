import { methodNotAllowed, route } from "@/lib/api/route";
import { messageParamsSchema } from "@/lib/schemas/operation";
import { messageIdParamsSchema, peekedMessageSchema } from "@/lib/schemas/peek";
import { getMessage } from "@/lib/services/messages";
import { deleteMessage } from "@/lib/services/operations";

// GET /api/v1/queues/{name}/messages/{id} — one message with its whole body, peeked (no side effects)
export const GET = route({ params: messageIdParamsSchema, response: peekedMessageSchema }, ({ principal, params }) =>
  getMessage(principal, { queueName: params.name, id: params.id }),
);

// DELETE /api/v1/queues/{name}/messages/{id} — an operator deletes one message by id (live or kept for rewind)
export const DELETE = route({ params: messageParamsSchema }, async ({ principal, params }) => {
  await deleteMessage(principal, { queueName: params.name, id: params.id });
});

export const POST = methodNotAllowed("GET", "DELETE");
export const PUT = methodNotAllowed("GET", "DELETE");
export const PATCH = methodNotAllowed("GET", "DELETE");
