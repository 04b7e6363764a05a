import { methodNotAllowed, route } from "@/lib/api/route";
import {
  listTopicMessagesQuerySchema,
  publishResultSchema,
  publishSchema,
  topicMessageListSchema,
} from "@/lib/schemas/topic";
import { publishMessages } from "@/lib/services/publish";
import { listTopicMessages } from "@/lib/services/topic-messages";

// GET /api/v1/topics/{name}/messages — retained messages, newest first, with their deliveries
export const GET = route(
  { query: listTopicMessagesQuerySchema, response: topicMessageListSchema },
  ({ principal, params, query }) => listTopicMessages(principal, { topicName: params.name ?? "", ...query }),
);

// POST /api/v1/topics/{name}/messages — publish 1–16 messages: in every matching queue when answered
export const POST = route(
  { body: publishSchema, response: publishResultSchema, status: 201 },
  ({ principal, params, body }) => publishMessages(principal, { topicName: params.name ?? "", ...body }),
);

export const PUT = methodNotAllowed("GET", "POST");
export const PATCH = methodNotAllowed("GET", "POST");
export const DELETE = methodNotAllowed("GET", "POST");
