import { methodNotAllowed, route } from "@/lib/api/route";
import { subscriptionSchema, updateSubscriptionSchema } from "@/lib/schemas/topic";
import { deleteSubscription, getSubscription, updateSubscription } from "@/lib/services/subscriptions";

const refOf = (params: Record<string, string>) => ({
  topicName: params.name ?? "",
  subscriptionName: params.sub ?? "",
});

// GET /api/v1/topics/{name}/subscriptions/{sub} — one subscription
export const GET = route({ response: subscriptionSchema }, ({ principal, params }) =>
  getSubscription(principal, refOf(params)),
);

// PATCH /api/v1/topics/{name}/subscriptions/{sub} — change strategy, format, filter tags or binding keys
export const PATCH = route(
  { body: updateSubscriptionSchema, response: subscriptionSchema },
  ({ principal, params, body }) => updateSubscription(principal, { ...refOf(params), changes: body }),
);

// DELETE /api/v1/topics/{name}/subscriptions/{sub} — unsubscribe (its pending pushes go with it)
export const DELETE = route({}, async ({ principal, params }) => {
  await deleteSubscription(principal, refOf(params));
});

export const POST = methodNotAllowed("GET", "PATCH", "DELETE");
export const PUT = methodNotAllowed("GET", "PATCH", "DELETE");
