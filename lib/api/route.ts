import { type NextRequest, NextResponse } from "next/server";
import type { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import { AppError } from "@/lib/errors";
import { BodyIncompleteError, BodyTimeoutError, BodyTooLargeError, readBody } from "@/lib/http/read-body";
import { recordApiCall, restActionLabel } from "@/lib/metrics/api-calls";
import { textProblem } from "@/lib/schemas/text";
import { authenticate } from "./authenticate";
import { errorResponse } from "./respond";
import { decodeUtf8, parseOrThrow } from "./validation";

type Schema = z.ZodType | undefined;
type Infer<S> = S extends z.ZodType ? z.infer<S> : undefined;

type Context<B extends Schema, Q extends Schema, P extends Schema> = {
  req: NextRequest;
  principal: Principal;
  body: Infer<B>;
  query: Infer<Q>;
  params: Params<P>;
};
type Params<P> = P extends z.ZodType ? z.infer<P> : Record<string, string>;

/**
 * The one wrapper for REST route handlers: authenticate, parse and validate, call, serialise, map
 * errors. A handler returns the response data (sent with `status`, default 200), or undefined for 204.
 */
export function route<B extends Schema = undefined, Q extends Schema = undefined, P extends Schema = undefined>(
  options: {
    body?: B;
    query?: Q;
    params?: P;
    response?: z.ZodType;
    /** The success status, or a function choosing it from the handler's result (e.g. 200 done, 202 started). */
    status?: number | ((result: unknown) => number);
  },
  handler: (ctx: Context<B, Q, P>) => Promise<unknown>,
) {
  return async (req: NextRequest, segment: { params: Promise<Record<string, string | string[]>> }) => {
    const started = performance.now();
    let principal: Principal | undefined;
    let segments: Record<string, string | string[]> = {};
    const answer = (response: NextResponse) => {
      // Calls are counted per account: a caller that failed authentication has none.
      if (principal) {
        const action = restActionLabel(req.method, req.nextUrl.pathname, segments);
        recordApiCall(principal.accountId, action, response.status >= 400, performance.now() - started);
      }
      return response;
    };
    try {
      principal = await authenticate(req);
      segments = (await segment.params) ?? {};
      const params = pathParams(segments, options.params) as Params<P>;
      const body = (
        options.body ? parseOrThrow(options.body, await readJson(req), "request body") : undefined
      ) as Infer<B>;
      const query = (
        options.query ? parseOrThrow(options.query, Object.fromEntries(req.nextUrl.searchParams), "query") : undefined
      ) as Infer<Q>;
      const result = await handler({ req, principal, body, query, params });
      if (result === undefined) return answer(new NextResponse(null, { status: 204 }));
      const data = options.response ? options.response.parse(result) : result;
      // What NextResponse.json answers, made once: it builds a Response, then a second around its stream.
      return answer(
        new NextResponse(JSON.stringify(data), {
          status: typeof options.status === "function" ? options.status(result) : (options.status ?? 200),
          headers: { "content-type": "application/json" },
        }),
      );
    } catch (error) {
      // A request without credentials but with cookies comes from the console.
      const isBrowser = !req.headers.get("authorization") && !!req.headers.get("cookie");
      return answer(errorResponse(error, { isBrowser }));
    }
  };
}

/** Path segments (Next has decoded them) as text; with a schema (e.g. a UUID id), validated by it. */
function pathParams(segments: Record<string, string | string[]> | undefined, schema: Schema) {
  const params = Object.fromEntries(
    Object.entries(segments ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v.join("/") : v]),
  );
  for (const [name, value] of Object.entries(params)) {
    const problem = textProblem(value);
    if (problem) {
      throw new AppError("INVALID_INPUT", `Invalid path: ${name}: ${problem}`, {
        issues: [{ path: name, message: problem }],
      });
    }
  }
  return schema ? parseOrThrow(schema, params, "path") : params;
}

async function readJson(req: NextRequest): Promise<unknown> {
  const text = decodeUtf8(await readBodyOrThrow(req));
  if (text === undefined) throw new AppError("INVALID_JSON", "The request body is not valid UTF-8.");
  if (text.trim() === "") throw new AppError("INVALID_JSON", "The request body is empty; send a JSON object.");
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("INVALID_JSON", "The request body is not valid JSON.");
  }
}

/** The body's bytes, or the REST error for a body too large (413) or too slow (408). */
export async function readBodyOrThrow(req: Request, limit?: number): Promise<Buffer> {
  try {
    return await readBody(req, { limit });
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw new AppError("REQUEST_TOO_LARGE", error.message);
    if (error instanceof BodyTimeoutError) throw new AppError("REQUEST_TIMEOUT", error.message);
    if (error instanceof BodyIncompleteError) throw new AppError("INVALID_INPUT", error.message);
    throw error;
  }
}

/** A handler for the methods a route does not serve: 405 in the REST error format, with Allow. */
export function methodNotAllowed(...allowed: string[]) {
  return () => {
    const response = errorResponse(new AppError("METHOD_NOT_ALLOWED", `This endpoint accepts ${allowed.join(", ")}.`));
    response.headers.set("allow", allowed.join(", "));
    return response;
  };
}
