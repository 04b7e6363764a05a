import { methodNotAllowed, route } from "@/lib/api/route";
import { messageParamsSchema } from "@/lib/schemas/operation";
import { deleteMessage } from "@/lib/services/operations";

// DELETE /api/v1/queues/{name}/messages/{id} — an operator deletes one message by id (live or kept for rewind)
export const DELETE = route({ params: messageParamsSchema }, async ({ principal, params }) => {
  await deleteMessage(principal, { queueName: params.name, id: params.id });
});

// GET (one peeked message) arrives with the message browser.
export const GET = methodNotAllowed("DELETE");
export const POST = methodNotAllowed("DELETE");
export const PUT = methodNotAllowed("DELETE");
export const PATCH = methodNotAllowed("DELETE");
