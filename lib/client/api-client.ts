import type { z } from "zod";

// The browser's door to /api/v1: same-origin fetch with the session cookie, JSON in and out, and
// the REST error format ({ error: { code, message, details? } }) turned into a typed ApiError.
// An answer is parsed with the response schema the route itself serialises with (lib/schemas), so
// what the console reads is checked, not assumed.

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export const isApiError = (error: unknown): error is ApiError => error instanceof ApiError;

type QueryValue = string | number | undefined | null;

type RequestOptions = {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Serialised as JSON. */
  body?: unknown;
  /** Empty strings, null and undefined are left out: the API's query schemas are strict. */
  query?: Record<string, QueryValue>;
  signal?: AbortSignal;
};

export function apiPath(path: string, query?: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== "") params.set(key, String(value));
  }
  const search = params.toString();
  return `/api/v1${path}${search ? `?${search}` : ""}`;
}

/** Calls the REST API; resolves to the answer parsed by `response`, rejects with ApiError. */
export async function apiFetch<S extends z.ZodType>(
  path: string,
  options: RequestOptions & { response: S },
): Promise<z.infer<S>>;
/** Calls an endpoint that answers 204 No Content. */
export async function apiFetch(path: string, options?: RequestOptions): Promise<void>;
export async function apiFetch(path: string, options: RequestOptions & { response?: z.ZodType } = {}) {
  const { method = "GET", body, query, signal, response: schema } = options;
  let response: Response;
  try {
    response = await fetch(apiPath(path, query), {
      method,
      signal,
      credentials: "same-origin",
      headers:
        body === undefined
          ? { accept: "application/json" }
          : { accept: "application/json", "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError("NETWORK_ERROR", "The server could not be reached. Check your connection and try again.", 0);
  }
  if (response.status === 204 && !schema) return undefined;
  const payload: unknown = await response.json().catch(() => undefined);
  if (!response.ok) throw toApiError(response.status, payload);
  if (!schema) return undefined;
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    throw new ApiError(
      "UNEXPECTED_RESPONSE",
      "The server's answer was not in the expected form. Reload the page; if this persists, the console and server versions differ.",
      response.status,
      parsed.error.issues,
    );
  }
  return parsed.data;
}

function toApiError(status: number, payload: unknown): ApiError {
  const error = (payload as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
  if (error && typeof error.code === "string" && typeof error.message === "string") {
    return new ApiError(error.code, error.message, status, error.details);
  }
  return new ApiError("HTTP_ERROR", `The server answered with HTTP ${status}.`, status);
}
