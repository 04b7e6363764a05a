import { methodNotAllowed, route } from "@/lib/api/route";
import { alarmIdParamsSchema, alarmSecretSchema } from "@/lib/schemas/alarm";
import { getAlarmSecret } from "@/lib/services/alarms";

// GET /api/v1/alarms/{id}/secret — the key the rule's webhooks are signed with (monitor:alarms)
export const GET = route({ params: alarmIdParamsSchema, response: alarmSecretSchema }, ({ principal, params }) =>
  getAlarmSecret(principal, params),
);

export const POST = methodNotAllowed("GET");
export const PUT = methodNotAllowed("GET");
export const PATCH = methodNotAllowed("GET");
export const DELETE = methodNotAllowed("GET");
