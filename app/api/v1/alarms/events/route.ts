import { methodNotAllowed, route } from "@/lib/api/route";
import { alarmEventListSchema, listAlarmEventsQuerySchema } from "@/lib/schemas/alarm";
import { listAlarmEvents } from "@/lib/services/alarms";

// GET /api/v1/alarms/events — the alarm history, newest first, with each webhook attempt (monitor:read)
export const GET = route(
  { query: listAlarmEventsQuerySchema, response: alarmEventListSchema },
  ({ principal, query }) => listAlarmEvents(principal, query),
);

export const POST = methodNotAllowed("GET");
export const PUT = methodNotAllowed("GET");
export const PATCH = methodNotAllowed("GET");
export const DELETE = methodNotAllowed("GET");
