import { methodNotAllowed, route } from "@/lib/api/route";
import { rewindQueueSchema, rewindResultSchema } from "@/lib/schemas/rewind";
import { rewindQueue } from "@/lib/services/rewind";

// POST /api/v1/queues/{name}/rewind — re-deliver the deleted messages produced since startConsumeTime
export const POST = route({ body: rewindQueueSchema, response: rewindResultSchema }, ({ principal, params, body }) =>
  rewindQueue(principal, { queueName: params.name ?? "", startConsumeTime: body.startConsumeTime }),
);

export const GET = methodNotAllowed("POST");
export const PUT = methodNotAllowed("POST");
export const PATCH = methodNotAllowed("POST");
export const DELETE = methodNotAllowed("POST");
