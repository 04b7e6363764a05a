import { methodNotAllowed, route } from "@/lib/api/route";
import { messageIdParamsSchema, peekedMessageSchema } from "@/lib/schemas/peek";
import { getMessage } from "@/lib/services/messages";

// GET /api/v1/queues/{name}/messages/{id} — one message with its whole body, peeked (no side effects)
export const GET = route({ params: messageIdParamsSchema, response: peekedMessageSchema }, ({ principal, params }) =>
  getMessage(principal, { queueName: params.name, id: params.id }),
);

export const POST = methodNotAllowed("GET");
export const PUT = methodNotAllowed("GET");
export const PATCH = methodNotAllowed("GET");
// DELETE (operator delete by id, message:purge) belongs to the operations work (issue 10).
export const DELETE = methodNotAllowed("GET");
