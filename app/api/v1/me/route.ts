import { methodNotAllowed, route } from "@/lib/api/route";
import { meSchema } from "@/lib/schemas/access";
import { getMe } from "@/lib/services/me";

// GET /api/v1/me — the caller, its account, and its access (role, policy, key narrowing)
export const GET = route({ response: meSchema }, ({ principal }) => getMe(principal));

export const POST = methodNotAllowed("GET");
export const PUT = methodNotAllowed("GET");
export const PATCH = methodNotAllowed("GET");
export const DELETE = methodNotAllowed("GET");
