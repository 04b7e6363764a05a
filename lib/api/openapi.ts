import { z } from "zod";
import { errorTable } from "@/lib/errors";
import {
  apiKeyListSchema,
  apiKeySchema,
  auditPageSchema,
  auditQuerySchema,
  changePasswordSchema,
  createApiKeySchema,
  createdApiKeySchema,
  createdUserSchema,
  createUserSchema,
  meSchema,
  policySchema,
  updateApiKeySchema,
  updateUserSchema,
  userListSchema,
  userSchema,
} from "@/lib/schemas/access";
import { databaseHealthSchema } from "@/lib/schemas/database-health";
import {
  deleteMessagesSchema,
  deleteResultSchema,
  receivedMessagesSchema,
  receiveMessagesSchema,
  sendMessagesSchema,
  sentMessagesSchema,
} from "@/lib/schemas/message";
import { seriesQuerySchema, seriesResponseSchema, topQueuesQuerySchema, topQueuesSchema } from "@/lib/schemas/metrics";
import { peekedMessageSchema, peekPageSchema, peekQuerySchema } from "@/lib/schemas/peek";
import {
  createQueueSchema,
  deadLetterSourcesSchema,
  listDeadLetterSourcesQuerySchema,
  listQueuesQuerySchema,
  queueListSchema,
  queueSchema,
  updateQueueSchema,
} from "@/lib/schemas/queue";
import {
  changedVisibilityByIdSchema,
  changedVisibilitySchema,
  changeVisibilityByIdSchema,
  changeVisibilitySchema,
  rewindQueueSchema,
  rewindResultSchema,
} from "@/lib/schemas/rewind";
import { alarmPaths } from "./openapi-alarms";
import { operationPaths } from "./openapi-operations";
import { topicPaths } from "./openapi-topics";

// The OpenAPI document, generated from the same zod schemas the routes validate with.

const json = (schema: z.ZodType, io: "input" | "output") => z.toJSONSchema(schema, { io, unrepresentable: "any" });
const body = (schema: z.ZodType) => ({
  required: true,
  content: { "application/json": { schema: json(schema, "input") } },
});
const ok = (schema: z.ZodType, description = "OK") => ({
  description,
  content: { "application/json": { schema: json(schema, "output") } },
});
const errorRef = { $ref: "#/components/responses/Error" };
const errors = { "400": errorRef, "401": errorRef, "404": errorRef };

function queryParameters(schema: z.ZodObject) {
  const jsonSchema = json(schema, "input") as { properties?: Record<string, object> };
  return Object.entries(jsonSchema.properties ?? {}).map(([name, s]) => ({
    name,
    in: "query",
    required: false,
    schema: s,
  }));
}

const nameParameter = { name: "name", in: "path", required: true, schema: { type: "string" } };
const idParameter = { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } };
const messageIdParameter = {
  name: "id",
  in: "path",
  required: true,
  schema: { type: "string", pattern: "^\\d{1,19}$" },
};
const denied = { "403": errorRef };

export function buildOpenApiDocument() {
  // Purge, redrive, move, copy, operations and the operator's DELETE of one message (lib/api/openapi-operations.ts).
  const operations = operationPaths({ body, ok, errors, errorRef, nameParameter });
  return {
    openapi: "3.1.0",
    info: {
      title: "OpenCMQ REST API",
      version: "1",
      description:
        "JSON API over the same service layer as the CMQ-compatible action API. Authenticate with HTTP Basic (SecretId:SecretKey). Times are ISO-8601, sizes bytes, durations seconds.",
    },
    servers: [{ url: "/api/v1" }],
    security: [{ basic: [] }],
    components: {
      securitySchemes: { basic: { type: "http", scheme: "basic" } },
      responses: {
        Error: {
          description:
            "An error: 400 invalid input, 401 credentials, 404 not found or not visible, 409 conflict, 413 too large, 429 limit.",
          content: {
            "application/json": {
              schema: {
                type: "object",
                required: ["error"],
                properties: {
                  error: {
                    type: "object",
                    required: ["code", "message"],
                    properties: {
                      code: { type: "string", enum: Object.keys(errorTable) },
                      message: { type: "string" },
                      details: {},
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
    paths: {
      "/queues": {
        get: {
          summary: "List queues",
          parameters: queryParameters(listQueuesQuerySchema),
          responses: { "200": ok(queueListSchema), ...errors },
        },
        post: {
          summary: "Create a queue",
          requestBody: body(createQueueSchema),
          responses: { "201": ok(queueSchema, "Created"), "409": errorRef, "429": errorRef, ...errors },
        },
      },
      "/queues/{name}": {
        parameters: [nameParameter],
        get: { summary: "Get a queue with counts", responses: { "200": ok(queueSchema), ...errors } },
        patch: {
          summary: "Change queue attributes; deadLetter binds a dead-letter queue, deadLetter: null unbinds it",
          requestBody: body(updateQueueSchema),
          responses: { "200": ok(queueSchema), "409": errorRef, ...errors },
        },
        delete: {
          summary:
            "Delete a queue and its messages (409 DEAD_LETTER_IN_USE while it is some queue's dead-letter queue)",
          responses: { "204": { description: "Deleted" }, "409": errorRef, ...errors },
        },
      },
      "/queues/{name}/dead-letter-sources": {
        parameters: [nameParameter],
        get: {
          summary: "The queues that use this queue as their dead-letter queue",
          parameters: queryParameters(listDeadLetterSourcesQuerySchema),
          responses: { "200": ok(deadLetterSourcesSchema), ...errors, ...denied },
        },
      },
      "/queues/{name}/messages": {
        parameters: [nameParameter],
        get: {
          summary: "Browse messages by state and filter without receiving them (bodies as previews; totals per state)",
          parameters: queryParameters(peekQuerySchema),
          responses: { "200": ok(peekPageSchema), ...errors },
        },
        post: {
          summary: "Send 1–16 messages",
          requestBody: body(sendMessagesSchema),
          responses: { "201": ok(sentMessagesSchema, "Sent"), "413": errorRef, "429": errorRef, ...errors },
        },
      },
      "/queues/{name}/messages/{id}": {
        ...operations["/queues/{name}/messages/{id}"],
        parameters: [nameParameter, messageIdParameter],
        get: {
          summary: "One message, live or rewindable, with its whole body, without receiving it",
          responses: { "200": ok(peekedMessageSchema), ...errors },
        },
      },
      "/queues/{name}/messages/receive": {
        parameters: [nameParameter],
        post: {
          summary: "Receive (lease) up to 16 messages, long-polling up to 30 s",
          requestBody: body(receiveMessagesSchema),
          responses: { "200": ok(receivedMessagesSchema), ...errors },
        },
      },
      "/queues/{name}/messages/delete": {
        parameters: [nameParameter],
        post: {
          summary: "Delete messages by receipt handle",
          requestBody: body(deleteMessagesSchema),
          responses: { "200": ok(deleteResultSchema), ...errors },
        },
      },
      "/queues/{name}/messages/visibility": {
        parameters: [nameParameter],
        post: {
          summary: "Extend or end (visibilityTimeout 0) a lease by its receipt handle",
          requestBody: body(changeVisibilitySchema),
          responses: { "200": ok(changedVisibilitySchema), "409": errorRef, ...errors, ...denied },
        },
      },
      "/queues/{name}/messages/{id}/visibility": {
        parameters: [nameParameter, messageIdParameter],
        post: {
          summary: "Change when an in-flight or delayed message becomes visible, by id (operator; audited)",
          requestBody: body(changeVisibilityByIdSchema),
          responses: { "200": ok(changedVisibilityByIdSchema), "409": errorRef, ...errors, ...denied },
        },
      },
      "/queues/{name}/rewind": {
        parameters: [nameParameter],
        post: {
          summary:
            "Re-deliver the deleted messages produced since startConsumeTime, in production order (rewindSeconds > 0; audited)",
          requestBody: body(rewindQueueSchema),
          responses: { "200": ok(rewindResultSchema), "409": errorRef, ...errors, ...denied },
        },
      },
      "/me": {
        get: {
          summary: "The caller, its account and its access (role, policy, key narrowing)",
          responses: { "200": ok(meSchema), ...errors },
        },
      },
      "/me/password": {
        post: {
          summary: "Change the signed-in user's password (console session)",
          requestBody: body(changePasswordSchema),
          responses: { "204": { description: "Changed" }, ...errors, ...denied },
        },
      },
      "/users": {
        get: { summary: "List the account's users", responses: { "200": ok(userListSchema), ...errors, ...denied } },
        post: {
          summary: "Create a user; a generated password is returned once",
          requestBody: body(createUserSchema),
          responses: { "201": ok(createdUserSchema, "Created"), "409": errorRef, ...errors, ...denied },
        },
      },
      "/users/{id}": {
        parameters: [idParameter],
        patch: {
          summary: "Rename, change role, disable or enable a user",
          requestBody: body(updateUserSchema),
          responses: { "200": ok(userSchema), ...errors, ...denied },
        },
      },
      "/users/{id}/policy": {
        parameters: [idParameter],
        put: {
          summary: "Replace a user's resource policy",
          requestBody: body(policySchema),
          responses: { "200": ok(userSchema), ...errors, ...denied },
        },
      },
      "/keys": {
        get: {
          summary: "List API keys (never their SecretKeys)",
          responses: { "200": ok(apiKeyListSchema), ...errors, ...denied },
        },
        post: {
          summary: "Create an API key for the caller; the SecretKey is in this answer only",
          requestBody: body(createApiKeySchema),
          responses: { "201": ok(createdApiKeySchema, "Created"), ...errors, ...denied },
        },
      },
      "/keys/{id}": {
        parameters: [idParameter],
        patch: {
          summary: "Disable, enable or describe a key",
          requestBody: body(updateApiKeySchema),
          responses: { "200": ok(apiKeySchema), ...errors, ...denied },
        },
        delete: { summary: "Delete a key", responses: { "204": { description: "Deleted" }, ...errors, ...denied } },
      },
      "/audit": {
        get: {
          summary: "The audit log, newest first",
          parameters: queryParameters(auditQuerySchema),
          responses: { "200": ok(auditPageSchema), ...errors, ...denied },
        },
      },
      "/metrics/series": {
        get: {
          summary:
            "Metric series (monitor:read): counters summed per step, gauges the step's last sample; a step without data is null (a gap)",
          parameters: queryParameters(seriesQuerySchema),
          responses: { "200": ok(seriesResponseSchema), ...errors, ...denied },
        },
      },
      "/metrics/top": {
        get: {
          summary: "The account's top queues by backlog, oldest message age or traffic (monitor:read)",
          parameters: queryParameters(topQueuesQuerySchema),
          responses: { "200": ok(topQueuesSchema), ...errors, ...denied },
        },
      },
      "/database/health": {
        get: {
          summary:
            "PostgreSQL's health as the queues feel it: table and index sizes, dead rows and vacuum, what holds the xmin horizon back, connection use (monitor:database; the installation's figures, no row content)",
          responses: { "200": ok(databaseHealthSchema), ...errors, ...denied },
        },
      },
      ...Object.fromEntries(Object.entries(operations).filter(([path]) => path !== "/queues/{name}/messages/{id}")),
      ...topicPaths({ body, ok, queryParameters, errors, errorRef, nameParameter, messageIdParameter }),
      ...alarmPaths({ body, ok, queryParameters, errors, errorRef }),
    },
  };
}
