import { methodNotAllowed, route } from "@/lib/api/route";
import { httpStatusOfAnswer, operationAnswerSchema, redriveRequestSchema } from "@/lib/schemas/operation";
import { redriveMessages } from "@/lib/services/operations";

// POST /api/v1/queues/{name}/redrive — dead messages back to their origin queues (or a target); dryRun counts them
export const POST = route(
  { body: redriveRequestSchema, response: operationAnswerSchema, status: httpStatusOfAnswer },
  ({ principal, params, body }) => redriveMessages(principal, { queueName: params.name ?? "", ...body }),
);

export const GET = methodNotAllowed("POST");
export const PUT = methodNotAllowed("POST");
export const PATCH = methodNotAllowed("POST");
export const DELETE = methodNotAllowed("POST");
