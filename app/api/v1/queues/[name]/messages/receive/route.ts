import { methodNotAllowed, route } from "@/lib/api/route";
import { receivedMessagesSchema, receiveMessagesSchema } from "@/lib/schemas/message";
import { receiveMessages } from "@/lib/services/messages";

// POST /api/v1/queues/{name}/messages/receive — lease up to `max` messages, long-polling up to `waitSeconds`
export const POST = route(
  { body: receiveMessagesSchema, response: receivedMessagesSchema },
  async ({ req, principal, params, body }) => ({
    messages: await receiveMessages(principal, { queueName: params.name ?? "", ...body, signal: req.signal }),
  }),
);

export const GET = methodNotAllowed("POST");
export const PUT = methodNotAllowed("POST");
export const PATCH = methodNotAllowed("POST");
export const DELETE = methodNotAllowed("POST");
