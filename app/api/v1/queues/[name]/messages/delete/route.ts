import { methodNotAllowed, route } from "@/lib/api/route";
import { deleteMessagesSchema, deleteResultSchema } from "@/lib/schemas/message";
import { deleteMessages } from "@/lib/services/messages";

// POST /api/v1/queues/{name}/messages/delete — delete by receipt handle; failures are reported per handle
export const POST = route({ body: deleteMessagesSchema, response: deleteResultSchema }, ({ principal, params, body }) =>
  deleteMessages(principal, { queueName: params.name ?? "", receiptHandles: body.receiptHandles }),
);

export const GET = methodNotAllowed("POST");
export const PUT = methodNotAllowed("POST");
export const PATCH = methodNotAllowed("POST");
export const DELETE = methodNotAllowed("POST");
