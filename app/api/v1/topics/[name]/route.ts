import { methodNotAllowed, route } from "@/lib/api/route";
import { topicSchema, updateTopicSchema } from "@/lib/schemas/topic";
import { deleteTopic, getTopic, updateTopic } from "@/lib/services/topics";

// GET /api/v1/topics/{name} — attributes, subscription count, pushes pending
export const GET = route({ response: topicSchema }, ({ principal, params }) => getTopic(principal, params.name ?? ""));

// PATCH /api/v1/topics/{name} — change maxMsgSize
export const PATCH = route({ body: updateTopicSchema, response: topicSchema }, ({ principal, params, body }) =>
  updateTopic(principal, { topicName: params.name ?? "", changes: body }),
);

// DELETE /api/v1/topics/{name} — delete a topic without subscriptions (409 TOPIC_HAS_SUBSCRIPTIONS otherwise)
export const DELETE = route({}, async ({ principal, params }) => {
  await deleteTopic(principal, params.name ?? "");
});

export const POST = methodNotAllowed("GET", "PATCH", "DELETE");
export const PUT = methodNotAllowed("GET", "PATCH", "DELETE");
