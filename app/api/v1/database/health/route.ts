import { methodNotAllowed, route } from "@/lib/api/route";
import { databaseHealthSchema } from "@/lib/schemas/database-health";
import { getDatabaseHealth } from "@/lib/services/database-health";

// GET /api/v1/database/health — PostgreSQL's table and index sizes, dead rows, vacuum, what holds the xmin horizon back, connections (monitor:database)
export const GET = route({ response: databaseHealthSchema }, ({ principal }) => getDatabaseHealth(principal));

export const POST = methodNotAllowed("GET");
export const PUT = methodNotAllowed("GET");
export const PATCH = methodNotAllowed("GET");
export const DELETE = methodNotAllowed("GET");
