import { methodNotAllowed, route } from "@/lib/api/route";
import {
  alarmIdParamsSchema,
  alarmRuleSchema,
  createdAlarmRuleSchema,
  updateAlarmRuleSchema,
} from "@/lib/schemas/alarm";
import { deleteAlarmRule, getAlarmRule, updateAlarmRule } from "@/lib/services/alarms";

// GET /api/v1/alarms/{id} — one rule and its state (monitor:read)
export const GET = route({ params: alarmIdParamsSchema, response: alarmRuleSchema }, ({ principal, params }) =>
  getAlarmRule(principal, params),
);

// PATCH /api/v1/alarms/{id} — change name, threshold, durations, webhook, enabled (monitor:alarms)
export const PATCH = route(
  { params: alarmIdParamsSchema, body: updateAlarmRuleSchema, response: createdAlarmRuleSchema },
  ({ principal, params, body }) => updateAlarmRule(principal, params, body),
);

// DELETE /api/v1/alarms/{id} — delete the rule; its history stays (monitor:alarms)
export const DELETE = route({ params: alarmIdParamsSchema }, async ({ principal, params }) => {
  await deleteAlarmRule(principal, params);
  return undefined;
});

export const POST = methodNotAllowed("GET", "PATCH", "DELETE");
export const PUT = methodNotAllowed("GET", "PATCH", "DELETE");
