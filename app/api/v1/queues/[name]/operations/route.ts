import { methodNotAllowed, route } from "@/lib/api/route";
import { operationListSchema } from "@/lib/schemas/operation";
import { listOperations } from "@/lib/services/operations";

// GET /api/v1/queues/{name}/operations — the queue's newest 50 operations (purge, redrive, move, copy)
export const GET = route({ response: operationListSchema }, ({ principal, params }) =>
  listOperations(principal, { queueName: params.name ?? "" }),
);

export const POST = methodNotAllowed("GET");
export const PUT = methodNotAllowed("GET");
export const PATCH = methodNotAllowed("GET");
export const DELETE = methodNotAllowed("GET");
