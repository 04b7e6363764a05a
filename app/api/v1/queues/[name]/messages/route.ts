import { methodNotAllowed, route } from "@/lib/api/route";
import { sendMessagesSchema, sentMessagesSchema } from "@/lib/schemas/message";
import { peekPageSchema, peekQuerySchema } from "@/lib/schemas/peek";
import { peekMessages, sendMessages } from "@/lib/services/messages";

// GET /api/v1/queues/{name}/messages — browse one filter's messages without receiving them (no side effects)
export const GET = route({ query: peekQuerySchema, response: peekPageSchema }, ({ principal, params, query }) =>
  peekMessages(principal, { queueName: params.name ?? "", ...query }),
);

// POST /api/v1/queues/{name}/messages — send 1–16 messages; ids come back in input order
export const POST = route(
  { body: sendMessagesSchema, response: sentMessagesSchema, status: 201 },
  async ({ principal, params, body }) => ({
    messages: await sendMessages(principal, { queueName: params.name ?? "", messages: body.messages }),
  }),
);

export const PUT = methodNotAllowed("GET", "POST");
export const PATCH = methodNotAllowed("GET", "POST");
export const DELETE = methodNotAllowed("GET", "POST");
