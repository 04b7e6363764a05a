import { methodNotAllowed, route } from "@/lib/api/route";
import { routeTestResultSchema, routeTestSchema } from "@/lib/schemas/topic";
import { testRoute } from "@/lib/services/publish";

// POST /api/v1/topics/{name}/route-test — which subscriptions a publish with these tags / this key reaches, and why
export const POST = route({ body: routeTestSchema, response: routeTestResultSchema }, ({ principal, params, body }) =>
  testRoute(principal, { topicName: params.name ?? "", ...body }),
);

export const GET = methodNotAllowed("POST");
export const PUT = methodNotAllowed("POST");
export const PATCH = methodNotAllowed("POST");
export const DELETE = methodNotAllowed("POST");
