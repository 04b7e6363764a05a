import { methodNotAllowed, route } from "@/lib/api/route";
import { messageIdParamsSchema } from "@/lib/schemas/peek";
import { topicMessageSchema } from "@/lib/schemas/topic";
import { getTopicMessage } from "@/lib/services/topic-messages";

// GET /api/v1/topics/{name}/messages/{id} — one retained message and its delivery timeline
export const GET = route({ params: messageIdParamsSchema, response: topicMessageSchema }, ({ principal, params }) =>
  getTopicMessage(principal, { topicName: params.name, id: params.id }),
);

export const POST = methodNotAllowed("GET");
export const PUT = methodNotAllowed("GET");
export const PATCH = methodNotAllowed("GET");
export const DELETE = methodNotAllowed("GET");
