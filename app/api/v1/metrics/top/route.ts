import { methodNotAllowed, route } from "@/lib/api/route";
import { topQueuesQuerySchema, topQueuesSchema } from "@/lib/schemas/metrics";
import { getTopQueues } from "@/lib/services/metrics";

// GET /api/v1/metrics/top — the account's top queues by backlog, oldest message age or traffic
export const GET = route({ query: topQueuesQuerySchema, response: topQueuesSchema }, ({ principal, query }) =>
  getTopQueues(principal, query),
);

export const POST = methodNotAllowed("GET");
export const PUT = methodNotAllowed("GET");
export const PATCH = methodNotAllowed("GET");
export const DELETE = methodNotAllowed("GET");
