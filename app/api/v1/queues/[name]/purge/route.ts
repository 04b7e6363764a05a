import { methodNotAllowed, route } from "@/lib/api/route";
import { httpStatusOfAnswer, operationAnswerSchema, purgeRequestSchema } from "@/lib/schemas/operation";
import { purgeMessages } from "@/lib/services/operations";

// POST /api/v1/queues/{name}/purge — delete the messages a filter matches (all by default); dryRun counts them
export const POST = route(
  { body: purgeRequestSchema, response: operationAnswerSchema, status: httpStatusOfAnswer },
  ({ principal, params, body }) => purgeMessages(principal, { queueName: params.name ?? "", ...body }),
);

export const GET = methodNotAllowed("POST");
export const PUT = methodNotAllowed("POST");
export const PATCH = methodNotAllowed("POST");
export const DELETE = methodNotAllowed("POST");
