import { randomUUID } from "node:crypto";
import { type NextRequest, NextResponse } from "next/server";
import { maxRequestBytes } from "@/lib/api/route";
import { describeUnavailable, isDatabaseUnavailable, unavailableMessage } from "@/lib/db/unavailable";
import { AppError, isAppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { actions, plannedActions } from "./actions";
import { authenticateCmq } from "./authenticate";
import { CmqError, cmqErrors, toCmqError } from "./errors";
import { CmqParams } from "./params";

/**
 * The CMQ-compatible action endpoint: parse form parameters (whatever the Content-Type), verify
 * the signature, run the action, answer HTTP 200 with { code, message, requestId, … } — errors too.
 * `path` is the path the client signed: "/v2/index.php", or "/" for the Go SDK's bare endpoint.
 */
export async function handleCmqRequest(req: NextRequest, path: string): Promise<NextResponse> {
  const requestId = randomUUID();
  let clientRequestId: string | undefined;
  try {
    if (req.method !== "GET" && req.method !== "POST") throw cmqErrors.methodNotAllowed();
    const params = CmqParams.parse(await readParameters(req));
    clientRequestId = params.optionalString("clientRequestId");
    const principal = await authenticateCmq({ method: req.method, hosts: signedHosts(req), path, params });
    const name = params.string("Action").toLowerCase();
    const action = actions[name];
    if (!action) {
      throw plannedActions.has(name)
        ? cmqErrors.unsupportedAction(params.string("Action"))
        : cmqErrors.unknownAction(params.string("Action"));
    }
    const data = await action({ principal, params, signal: req.signal });
    return reply({ code: 0, message: "", requestId, ...withClientRequestId(clientRequestId), ...data });
  } catch (error) {
    const cmqError = toCmq(error);
    return reply({
      code: cmqError.code,
      message: cmqError.cmqMessage,
      requestId,
      ...withClientRequestId(clientRequestId),
      ...cmqError.extra,
    });
  }
}

async function readParameters(req: NextRequest): Promise<string> {
  if (req.method === "GET") return req.nextUrl.search.slice(1);
  if (Number(req.headers.get("content-length") ?? 0) > maxRequestBytes) throw cmqErrors.requestTooLarge();
  const text = await req.text();
  if (text.length > maxRequestBytes) throw cmqErrors.requestTooLarge();
  return text;
}

/** The host the client put in its endpoint: normally Host; behind a proxy, X-Forwarded-Host. */
function signedHosts(req: NextRequest): string[] {
  return [req.headers.get("host"), req.headers.get("x-forwarded-host")].filter((h): h is string => !!h);
}

// The Go SDK sends a numeric clientRequestId and decodes the echo as a uint64, so it goes back as
// a JSON number with all its digits (see reply); anything else is not echoed.
const withClientRequestId = (id: string | undefined) => (id && /^\d{1,20}$/.test(id) ? { clientRequestId: id } : {});

function toCmq(error: unknown): CmqError {
  if (error instanceof CmqError) return error;
  if (isAppError(error)) return toCmqError(error);
  if (isDatabaseUnavailable(error)) {
    logger.warn({ err: describeUnavailable(error) }, "database unavailable; answered 6000");
    return toCmqError(new AppError("UNAVAILABLE", unavailableMessage));
  }
  if ((error as { code?: string })?.code === "23503") return new CmqError(4440, 10100, "the queue no longer exists");
  logger.error({ err: error }, "unhandled error in CMQ action");
  return cmqErrors.internal();
}

function reply(body: Record<string, unknown>): NextResponse {
  let json = JSON.stringify(body);
  const id = body.clientRequestId;
  if (typeof id === "string") json = json.replace(`"clientRequestId":"${id}"`, `"clientRequestId":${id}`);
  return new NextResponse(json, { status: 200, headers: { "content-type": "application/json" } });
}
