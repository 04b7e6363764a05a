import { methodNotAllowed, route } from "@/lib/api/route";
import { seriesQuerySchema, seriesResponseSchema } from "@/lib/schemas/metrics";
import { getMetricSeries } from "@/lib/services/metrics";

// GET /api/v1/metrics/series — metric series of the account, a queue, topic or subscription (gaps are null)
export const GET = route({ query: seriesQuerySchema, response: seriesResponseSchema }, ({ principal, query }) =>
  getMetricSeries(principal, query),
);

export const POST = methodNotAllowed("GET");
export const PUT = methodNotAllowed("GET");
export const PATCH = methodNotAllowed("GET");
export const DELETE = methodNotAllowed("GET");
