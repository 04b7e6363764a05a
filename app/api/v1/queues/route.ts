import { methodNotAllowed, route } from "@/lib/api/route";
import { createQueueSchema, listQueuesQuerySchema, queueListSchema, queueSchema } from "@/lib/schemas/queue";
import { createQueue, listQueues } from "@/lib/services/queues";

// GET /api/v1/queues — the caller's queues, newest first, with counts
export const GET = route({ query: listQueuesQuerySchema, response: queueListSchema }, ({ principal, query }) =>
  listQueues(principal, query),
);

// POST /api/v1/queues — create a queue; unspecified attributes get CMQ's defaults
export const POST = route({ body: createQueueSchema, response: queueSchema, status: 201 }, ({ principal, body }) =>
  createQueue(principal, body),
);

export const PUT = methodNotAllowed("GET", "POST");
export const PATCH = methodNotAllowed("GET", "POST");
export const DELETE = methodNotAllowed("GET", "POST");
