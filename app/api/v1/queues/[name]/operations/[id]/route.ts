import { methodNotAllowed, route } from "@/lib/api/route";
import { operationParamsSchema, operationSchema } from "@/lib/schemas/operation";
import { getOperation } from "@/lib/services/operations";

// GET /api/v1/queues/{name}/operations/{id} — one operation and its progress
export const GET = route({ params: operationParamsSchema, response: operationSchema }, ({ principal, params }) =>
  getOperation(principal, { queueName: params.name, id: params.id }),
);

export const POST = methodNotAllowed("GET");
export const PUT = methodNotAllowed("GET");
export const PATCH = methodNotAllowed("GET");
export const DELETE = methodNotAllowed("GET");
