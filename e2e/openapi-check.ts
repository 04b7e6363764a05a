import type { APIRequestContext, APIResponse } from "@playwright/test";
import { z } from "zod";

// Checks real REST responses against the OpenAPI document the server publishes: the status must be
// one the operation lists, and the body must match that response's schema (objects are closed in
// the document, so an undescribed field is a mismatch too).

type JsonSchema = Parameters<typeof z.fromJSONSchema>[0];
type DescribedResponse = { $ref?: string; content?: { "application/json"?: { schema: JsonSchema } } };
type Operation = { responses: Record<string, DescribedResponse> };
export type OpenApiDocument = {
  servers: { url: string }[];
  paths: Record<string, Record<string, unknown>>;
  components: { responses: Record<string, DescribedResponse> };
};

export async function fetchOpenApiDocument(request: APIRequestContext): Promise<OpenApiDocument> {
  return (await request.get("/api/v1/openapi.json")).json();
}

/** The described path and operation a request addresses, if any. */
export function findOperation(doc: OpenApiDocument, method: string, url: string) {
  const base = doc.servers[0]?.url ?? "";
  const pathname = new URL(url, "http://localhost").pathname;
  if (!pathname.startsWith(`${base}/`)) return undefined;
  const segments = pathname.slice(base.length).split("/");
  for (const [described, item] of Object.entries(doc.paths)) {
    const pattern = described.split("/");
    const matches =
      pattern.length === segments.length &&
      pattern.every((p, i) => (p.startsWith("{") ? (segments[i] ?? "") !== "" : p === segments[i]));
    const operation = item[method.toLowerCase()] as Operation | undefined;
    if (matches && operation) return { path: described, operation };
  }
  return undefined;
}

const validators = new WeakMap<object, z.ZodType>();
function validator(schema: JsonSchema & object) {
  let v = validators.get(schema);
  if (!v) {
    v = z.fromJSONSchema(schema);
    validators.set(schema, v);
  }
  return v;
}

/** What is wrong with a response by the document; empty when it is as described. */
export function responseProblems(
  doc: OpenApiDocument,
  request: { method: string; url: string },
  response: { status: number; body: Buffer },
): string[] {
  const found = findOperation(doc, request.method, request.url);
  if (!found) return ["the document describes no such operation"];
  let described = found.operation.responses[String(response.status)];
  if (!described) {
    return [`status ${response.status} is not among ${Object.keys(found.operation.responses).join(", ")}`];
  }
  if (described.$ref) described = doc.components.responses[described.$ref.split("/").pop() ?? ""] ?? {};
  const schema = described.content?.["application/json"]?.schema;
  if (!schema) return response.body.length === 0 ? [] : ["a body where the document describes none"];
  let body: unknown;
  try {
    body = JSON.parse(response.body.toString("utf8"));
  } catch {
    return ["the body is not JSON"];
  }
  const result = validator(schema as JsonSchema & object).safeParse(body);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`);
}

const verbs = { get: "GET", post: "POST", put: "PUT", patch: "PATCH", delete: "DELETE", head: "HEAD" } as const;

/**
 * The same client, except that each response is checked against the document before the test sees
 * it; a response the document does not describe fails the request with what differs.
 */
export function checkedAgainstDocument(context: APIRequestContext, doc: OpenApiDocument): APIRequestContext {
  const check = async (method: string, url: string, response: APIResponse) => {
    const problems = responseProblems(doc, { method, url }, { status: response.status(), body: await response.body() });
    if (problems.length > 0) {
      throw new Error(
        `${method} ${url} → ${response.status()} is not as /api/v1/openapi.json describes:\n  ${problems.join("\n  ")}`,
      );
    }
    return response;
  };
  return new Proxy(context, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      if (property === "fetch") {
        return async (url: string, options?: { method?: string }) =>
          check((options?.method ?? "GET").toUpperCase(), url, await value.call(target, url, options));
      }
      const method = verbs[property as keyof typeof verbs];
      if (method) {
        return async (url: string, options?: object) => check(method, url, await value.call(target, url, options));
      }
      return value.bind(target);
    },
  });
}
