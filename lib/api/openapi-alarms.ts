import type { z } from "zod";
import {
  alarmEventListSchema,
  alarmRuleListSchema,
  alarmRuleSchema,
  alarmSecretSchema,
  createAlarmRuleSchema,
  createdAlarmRuleSchema,
  listAlarmEventsQuerySchema,
  listAlarmRulesQuerySchema,
  updateAlarmRuleSchema,
} from "@/lib/schemas/alarm";

// The OpenAPI paths of alarms (app/api/v1/alarms/**), merged into the document by lib/api/openapi.ts.

type Helpers = {
  body: (schema: z.ZodType) => object;
  ok: (schema: z.ZodType, description?: string) => object;
  queryParameters: (schema: z.ZodObject) => object[];
  errors: Record<string, object>;
  errorRef: object;
};

export function alarmPaths({ body, ok, queryParameters, errors, errorRef }: Helpers) {
  const denied = { "403": errorRef };
  const id = { name: "id", in: "path", required: true, schema: { type: "string", pattern: "^\\d{1,19}$" } };
  return {
    "/alarms": {
      get: {
        summary: "The alarm rules the caller may see, with their current state (monitor:read)",
        parameters: queryParameters(listAlarmRulesQuerySchema),
        responses: { "200": ok(alarmRuleListSchema), ...errors, ...denied },
      },
      post: {
        summary:
          "Create an alarm rule (monitor:alarms; database kinds also monitor:database). With a webhook URL, the answer carries its signing secret once",
        requestBody: body(createAlarmRuleSchema),
        responses: {
          "201": ok(createdAlarmRuleSchema, "Created"),
          "409": errorRef,
          "429": errorRef,
          ...errors,
          ...denied,
        },
      },
    },
    "/alarms/events": {
      get: {
        summary: "The alarm history: state transitions, newest first, each with its webhook attempts (monitor:read)",
        parameters: queryParameters(listAlarmEventsQuerySchema),
        responses: { "200": ok(alarmEventListSchema), ...errors, ...denied },
      },
    },
    "/alarms/{id}": {
      parameters: [id],
      get: {
        summary: "One alarm rule and its state (monitor:read)",
        responses: { "200": ok(alarmRuleSchema), ...errors, ...denied },
      },
      patch: {
        summary:
          "Change an alarm rule (monitor:alarms): name, threshold, forSeconds, windowSeconds, webhookUrl, enabled. Kind and scope are fixed; disabling a firing rule resolves it",
        requestBody: body(updateAlarmRuleSchema),
        responses: { "200": ok(createdAlarmRuleSchema), "409": errorRef, ...errors, ...denied },
      },
      delete: {
        summary:
          "Delete an alarm rule; its history stays. A firing rule resolves first: its webhook is still sent the resolve (monitor:alarms)",
        responses: { "204": { description: "Deleted" }, ...errors, ...denied },
      },
    },
    "/alarms/{id}/secret": {
      parameters: [id],
      get: {
        summary:
          'The key the rule\'s webhooks are signed with: X-OpenCMQ-Signature t=<unix s>,v1=HMAC-SHA256(secret, "<t>.<body>") (monitor:alarms)',
        responses: { "200": ok(alarmSecretSchema), ...errors, ...denied },
      },
    },
  };
}
