import { methodNotAllowed, route } from "@/lib/api/route";
import { deadLetterSourcesSchema, listDeadLetterSourcesQuerySchema } from "@/lib/schemas/queue";
import { listDeadLetterSources } from "@/lib/services/dead-letters";

// GET /api/v1/queues/{name}/dead-letter-sources — the queues that use this queue as their dead-letter queue
export const GET = route(
  { query: listDeadLetterSourcesQuerySchema, response: deadLetterSourcesSchema },
  ({ principal, params, query }) => listDeadLetterSources(principal, { queueName: params.name ?? "", ...query }),
);

export const POST = methodNotAllowed("GET");
export const PUT = methodNotAllowed("GET");
export const PATCH = methodNotAllowed("GET");
export const DELETE = methodNotAllowed("GET");
