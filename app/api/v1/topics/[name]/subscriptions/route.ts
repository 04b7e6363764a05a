import { methodNotAllowed, route } from "@/lib/api/route";
import {
  createSubscriptionSchema,
  listTopicsQuerySchema,
  subscriptionListSchema,
  subscriptionSchema,
} from "@/lib/schemas/topic";
import { createSubscription, listSubscriptions } from "@/lib/services/subscriptions";

// GET /api/v1/topics/{name}/subscriptions — the topic's subscriptions, oldest first
export const GET = route(
  { query: listTopicsQuerySchema, response: subscriptionListSchema },
  ({ principal, params, query }) => listSubscriptions(principal, { topicName: params.name ?? "", ...query }),
);

// POST /api/v1/topics/{name}/subscriptions — subscribe a queue or an HTTP(S) endpoint
export const POST = route(
  { body: createSubscriptionSchema, response: subscriptionSchema, status: 201 },
  ({ principal, params, body }) => createSubscription(principal, { topicName: params.name ?? "", input: body }),
);

export const PUT = methodNotAllowed("GET", "POST");
export const PATCH = methodNotAllowed("GET", "POST");
export const DELETE = methodNotAllowed("GET", "POST");
