import { methodNotAllowed, route } from "@/lib/api/route";
import { messageIdParamsSchema } from "@/lib/schemas/peek";
import { redeliverSchema, topicMessageSchema } from "@/lib/schemas/topic";
import { redeliverTopicMessage } from "@/lib/services/topic-messages";

// POST /api/v1/topics/{name}/messages/{id}/redeliver — deliver the message again to one subscription
export const POST = route(
  { params: messageIdParamsSchema, body: redeliverSchema, response: topicMessageSchema, status: 202 },
  ({ principal, params, body }) =>
    redeliverTopicMessage(principal, { topicName: params.name, id: params.id, subscriptionName: body.subscription }),
);

export const GET = methodNotAllowed("POST");
export const PUT = methodNotAllowed("POST");
export const PATCH = methodNotAllowed("POST");
export const DELETE = methodNotAllowed("POST");
