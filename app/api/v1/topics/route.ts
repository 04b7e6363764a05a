import { methodNotAllowed, route } from "@/lib/api/route";
import { createTopicSchema, listTopicsQuerySchema, topicListSchema, topicSchema } from "@/lib/schemas/topic";
import { createTopic, listTopics } from "@/lib/services/topics";

// GET /api/v1/topics — the caller's topics, newest first
export const GET = route({ query: listTopicsQuerySchema, response: topicListSchema }, ({ principal, query }) =>
  listTopics(principal, query),
);

// POST /api/v1/topics — create a topic (filterType tag or routing, fixed after creation)
export const POST = route({ body: createTopicSchema, response: topicSchema, status: 201 }, ({ principal, body }) =>
  createTopic(principal, body),
);

export const PUT = methodNotAllowed("GET", "POST");
export const PATCH = methodNotAllowed("GET", "POST");
export const DELETE = methodNotAllowed("GET", "POST");
