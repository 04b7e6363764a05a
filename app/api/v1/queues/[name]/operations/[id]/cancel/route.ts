import { methodNotAllowed, route } from "@/lib/api/route";
import { operationParamsSchema, operationSchema } from "@/lib/schemas/operation";
import { cancelOperation } from "@/lib/services/operations";

// POST /api/v1/queues/{name}/operations/{id}/cancel — stop the operation between batches
export const POST = route({ params: operationParamsSchema, response: operationSchema }, ({ principal, params }) =>
  cancelOperation(principal, { queueName: params.name, id: params.id }),
);

export const GET = methodNotAllowed("POST");
export const PUT = methodNotAllowed("POST");
export const PATCH = methodNotAllowed("POST");
export const DELETE = methodNotAllowed("POST");
