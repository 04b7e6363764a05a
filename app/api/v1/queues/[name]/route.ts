import { methodNotAllowed, route } from "@/lib/api/route";
import { queueSchema, updateQueueSchema } from "@/lib/schemas/queue";
import { deleteQueue, getQueue, updateQueue } from "@/lib/services/queues";

// GET /api/v1/queues/{name} — attributes, counts and oldest message age
export const GET = route({ response: queueSchema }, ({ principal, params }) => getQueue(principal, params.name ?? ""));

// PATCH /api/v1/queues/{name} — change attributes
export const PATCH = route({ body: updateQueueSchema, response: queueSchema }, ({ principal, params, body }) =>
  updateQueue(principal, { queueName: params.name ?? "", changes: body }),
);

// DELETE /api/v1/queues/{name} — delete the queue and its messages
export const DELETE = route({}, async ({ principal, params }) => {
  await deleteQueue(principal, params.name ?? "");
});

export const POST = methodNotAllowed("GET", "PATCH", "DELETE");
export const PUT = methodNotAllowed("GET", "PATCH", "DELETE");
