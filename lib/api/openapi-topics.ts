import type { z } from "zod";
import {
  createSubscriptionSchema,
  createTopicSchema,
  listTopicMessagesQuerySchema,
  listTopicsQuerySchema,
  publishResultSchema,
  publishSchema,
  pushSecretSchema,
  redeliverSchema,
  routeTestResultSchema,
  routeTestSchema,
  subscriptionListSchema,
  subscriptionSchema,
  topicListSchema,
  topicMessageListSchema,
  topicMessageSchema,
  topicSchema,
  updateSubscriptionSchema,
  updateTopicSchema,
} from "@/lib/schemas/topic";

// The OpenAPI paths of topics and subscriptions (app/api/v1/topics/**), merged into the document by
// lib/api/openapi.ts, which lends its helpers.

type Helpers = {
  body: (schema: z.ZodType) => object;
  ok: (schema: z.ZodType, description?: string) => object;
  queryParameters: (schema: z.ZodObject) => object[];
  errors: Record<string, object>;
  errorRef: object;
  nameParameter: object;
  messageIdParameter: object;
};

export function topicPaths({
  body,
  ok,
  queryParameters,
  errors,
  errorRef,
  nameParameter,
  messageIdParameter,
}: Helpers) {
  const denied = { "403": errorRef };
  const conflict = { "409": errorRef };
  const sub = { name: "sub", in: "path", required: true, schema: { type: "string" } };
  return {
    "/topics": {
      get: {
        summary: "List topics",
        parameters: queryParameters(listTopicsQuerySchema),
        responses: { "200": ok(topicListSchema), ...errors, ...denied },
      },
      post: {
        summary: "Create a topic (filterType tag or routing, fixed after creation)",
        requestBody: body(createTopicSchema),
        responses: { "201": ok(topicSchema, "Created"), ...conflict, "429": errorRef, ...errors, ...denied },
      },
    },
    "/topics/{name}": {
      parameters: [nameParameter],
      get: { summary: "Get a topic", responses: { "200": ok(topicSchema), ...errors, ...denied } },
      patch: {
        summary: "Change a topic's maxMsgSize",
        requestBody: body(updateTopicSchema),
        responses: { "200": ok(topicSchema), ...errors, ...denied },
      },
      delete: {
        summary: "Delete a topic (409 TOPIC_HAS_SUBSCRIPTIONS while it has subscriptions)",
        responses: { "204": { description: "Deleted" }, ...conflict, ...errors, ...denied },
      },
    },
    "/topics/{name}/subscriptions": {
      parameters: [nameParameter],
      get: {
        summary: "List a topic's subscriptions",
        parameters: queryParameters(listTopicsQuerySchema),
        responses: { "200": ok(subscriptionListSchema), ...errors, ...denied },
      },
      post: {
        summary: "Subscribe a queue (SIMPLIFIED only) or an http(s) endpoint",
        requestBody: body(createSubscriptionSchema),
        responses: { "201": ok(subscriptionSchema, "Created"), ...conflict, "429": errorRef, ...errors, ...denied },
      },
    },
    "/topics/{name}/subscriptions/{sub}": {
      parameters: [nameParameter, sub],
      get: { summary: "Get a subscription", responses: { "200": ok(subscriptionSchema), ...errors, ...denied } },
      patch: {
        summary: "Change a subscription's strategy, format, filter tags or binding keys",
        requestBody: body(updateSubscriptionSchema),
        responses: { "200": ok(subscriptionSchema), ...errors, ...denied },
      },
      delete: {
        summary: "Unsubscribe (pending pushes are dropped with it)",
        responses: { "204": { description: "Deleted" }, ...errors, ...denied },
      },
    },
    "/topics/{name}/subscriptions/{sub}/secret": {
      parameters: [nameParameter, sub],
      get: {
        summary: "The key an HTTP subscription's pushes are signed with (topic:Subscribe)",
        responses: { "200": ok(pushSecretSchema), ...errors, ...denied },
      },
    },
    "/topics/{name}/messages": {
      parameters: [nameParameter],
      get: {
        summary: "Retained messages, newest first, with their deliveries",
        parameters: queryParameters(listTopicMessagesQuerySchema),
        responses: { "200": ok(topicMessageListSchema), ...errors, ...denied },
      },
      post: {
        summary:
          "Publish 1–16 messages: once answered, they are in every matching queue; 409 when no subscription matches",
        requestBody: body(publishSchema),
        responses: {
          "201": ok(publishResultSchema, "Published"),
          ...conflict,
          "413": errorRef,
          "429": errorRef,
          ...errors,
          ...denied,
        },
      },
    },
    "/topics/{name}/messages/{id}": {
      parameters: [nameParameter, messageIdParameter],
      get: {
        summary: "One retained message and its delivery timeline (queue deliveries, push attempts)",
        responses: { "200": ok(topicMessageSchema), ...errors, ...denied },
      },
    },
    "/topics/{name}/messages/{id}/redeliver": {
      parameters: [nameParameter, messageIdParameter],
      post: {
        summary: "Deliver a retained message again to one subscription (audited)",
        requestBody: body(redeliverSchema),
        responses: { "202": ok(topicMessageSchema, "Re-delivery queued"), ...errors, ...denied },
      },
    },
    "/topics/{name}/route-test": {
      parameters: [nameParameter],
      post: {
        summary: "Which subscriptions a publish with these tags or this routing key would reach, and why",
        requestBody: body(routeTestSchema),
        responses: { "200": ok(routeTestResultSchema), ...errors, ...denied },
      },
    },
  };
}
