import type { z } from "zod";
import {
  dryRunCountSchema,
  moveRequestSchema,
  operationListSchema,
  operationSchema,
  operationStartedSchema,
  purgeRequestSchema,
  redriveRequestSchema,
} from "@/lib/schemas/operation";

// The OpenAPI paths of operator operations (app/api/v1/queues/[name]/{purge,redrive,move,operations}
// and DELETE …/messages/{id}), merged into the document by lib/api/openapi.ts, which lends its helpers.

type Helpers = {
  body: (schema: z.ZodType) => object;
  ok: (schema: z.ZodType, description?: string) => object;
  errors: Record<string, object>;
  errorRef: object;
  nameParameter: object;
};

export function operationPaths({ body, ok, errors, errorRef, nameParameter }: Helpers) {
  const denied = { "403": errorRef };
  const operationId = { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } };
  const messageId = { name: "id", in: "path", required: true, schema: { type: "string", pattern: "^\\d{1,19}$" } };
  const started = (summary: string, request: z.ZodType) => ({
    summary,
    requestBody: body(request),
    responses: {
      "200": ok(
        dryRunCountSchema.or(operationStartedSchema),
        'dryRun: { count }; otherwise { operation } that already ended (≤ 1,000 messages finish inside the request: status "done")',
      ),
      "202": ok(operationStartedSchema, "Started: the operation goes on in batches; follow it at /operations/{id}"),
      ...errors,
      ...denied,
    },
  });
  return {
    "/queues/{name}/purge": {
      parameters: [nameParameter],
      post: started("Purge the messages a filter matches (all by default)", purgeRequestSchema),
    },
    "/queues/{name}/redrive": {
      parameters: [nameParameter],
      post: started(
        "Redrive dead messages to the queues they died in (or to a target), at most ratePerSecond",
        redriveRequestSchema,
      ),
    },
    "/queues/{name}/move": {
      parameters: [nameParameter],
      post: started(
        "Move (or with copy: true, copy) the messages a filter matches to another queue",
        moveRequestSchema,
      ),
    },
    "/queues/{name}/operations": {
      parameters: [nameParameter],
      get: { summary: "The queue's newest 50 operations", responses: { "200": ok(operationListSchema), ...errors } },
    },
    "/queues/{name}/operations/{id}": {
      parameters: [nameParameter, operationId],
      get: { summary: "An operation and its progress", responses: { "200": ok(operationSchema), ...errors } },
    },
    "/queues/{name}/operations/{id}/cancel": {
      parameters: [nameParameter, operationId],
      post: {
        summary: "Cancel an operation between batches (a finished one is answered as it is)",
        responses: { "200": ok(operationSchema), ...errors, ...denied },
      },
    },
    "/queues/{name}/messages/{id}": {
      parameters: [nameParameter, messageId],
      delete: {
        summary: "Delete one message by id (live or kept for rewind)",
        responses: { "204": { description: "Deleted" }, ...errors, ...denied },
      },
    },
  };
}
