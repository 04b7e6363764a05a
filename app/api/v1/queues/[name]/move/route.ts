import { methodNotAllowed, route } from "@/lib/api/route";
import { httpStatusOfAnswer, moveRequestSchema, operationAnswerSchema } from "@/lib/schemas/operation";
import { moveMessages } from "@/lib/services/operations";

// POST /api/v1/queues/{name}/move — move (copy: true, copy) the messages a filter matches to another queue
export const POST = route(
  { body: moveRequestSchema, response: operationAnswerSchema, status: httpStatusOfAnswer },
  ({ principal, params, body }) => moveMessages(principal, { queueName: params.name ?? "", ...body }),
);

export const GET = methodNotAllowed("POST");
export const PUT = methodNotAllowed("POST");
export const PATCH = methodNotAllowed("POST");
export const DELETE = methodNotAllowed("POST");
