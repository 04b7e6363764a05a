import { methodNotAllowed, route } from "@/lib/api/route";
import { auditPageSchema, auditQuerySchema } from "@/lib/schemas/access";
import { listAuditEvents } from "@/lib/services/audit";

// GET /api/v1/audit — the account's audit log, newest first, filtered by actor, action, resource, outcome, time
export const GET = route({ query: auditQuerySchema, response: auditPageSchema }, ({ principal, query }) =>
  listAuditEvents(principal, query),
);

export const POST = methodNotAllowed("GET");
export const PUT = methodNotAllowed("GET");
export const PATCH = methodNotAllowed("GET");
export const DELETE = methodNotAllowed("GET");
