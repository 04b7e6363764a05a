import { methodNotAllowed, route } from "@/lib/api/route";
import {
  alarmRuleListSchema,
  createAlarmRuleSchema,
  createdAlarmRuleSchema,
  listAlarmRulesQuerySchema,
} from "@/lib/schemas/alarm";
import { createAlarmRule, listAlarmRules } from "@/lib/services/alarms";

// GET /api/v1/alarms — the alarm rules the caller may see, with their state (monitor:read)
export const GET = route({ query: listAlarmRulesQuerySchema, response: alarmRuleListSchema }, ({ principal, query }) =>
  listAlarmRules(principal, query),
);

// POST /api/v1/alarms — create a rule (monitor:alarms); a webhook's signing secret is answered once
export const POST = route(
  { body: createAlarmRuleSchema, response: createdAlarmRuleSchema, status: 201 },
  ({ principal, body }) => createAlarmRule(principal, body),
);

export const PUT = methodNotAllowed("GET", "POST");
export const PATCH = methodNotAllowed("GET", "POST");
export const DELETE = methodNotAllowed("GET", "POST");
