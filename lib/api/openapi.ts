import { z } from "zod";
import { errorTable } from "@/lib/errors";
import {
  deleteMessagesSchema,
  deleteResultSchema,
  peekPageSchema,
  peekQuerySchema,
  receivedMessagesSchema,
  receiveMessagesSchema,
  sendMessagesSchema,
  sentMessagesSchema,
} from "@/lib/schemas/message";
import {
  createQueueSchema,
  listQueuesQuerySchema,
  queueListSchema,
  queueSchema,
  updateQueueSchema,
} from "@/lib/schemas/queue";

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

export function buildOpenApiDocument() {
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
          summary: "Change queue attributes",
          requestBody: body(updateQueueSchema),
          responses: { "200": ok(queueSchema), ...errors },
        },
        delete: {
          summary: "Delete a queue and its messages",
          responses: { "204": { description: "Deleted" }, ...errors },
        },
      },
      "/queues/{name}/messages": {
        parameters: [nameParameter],
        get: {
          summary: "Browse messages without receiving them",
          parameters: queryParameters(peekQuerySchema),
          responses: { "200": ok(peekPageSchema), ...errors },
        },
        post: {
          summary: "Send 1–16 messages",
          requestBody: body(sendMessagesSchema),
          responses: { "201": ok(sentMessagesSchema, "Sent"), "413": errorRef, "429": errorRef, ...errors },
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
    },
  };
}
