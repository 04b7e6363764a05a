import { randomUUID } from "node:crypto";
import { type NextRequest, NextResponse } from "next/server";
import { requestSource } from "@/lib/api/authenticate";
import { cmqActionPermission } from "@/lib/auth/permissions";
import { appErrorOfDatabaseError } from "@/lib/db/app-error-of";
import { AppError, isAppError } from "@/lib/errors";
import { BodyIncompleteError, BodyTimeoutError, BodyTooLargeError, readBody } from "@/lib/http/read-body";
import { logger } from "@/lib/logger";
import { recordApiCall } from "@/lib/metrics/api-calls";
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
  const started = performance.now();
  let clientRequestId: string | undefined;
  let accountId: string | undefined;
  let actionName = "(unknown action)";
  // Calls are counted per account (a caller that failed authentication has none), by action name.
  const counted = (response: NextResponse, isError: boolean) => {
    if (accountId) recordApiCall(accountId, actionName, isError, performance.now() - started);
    return response;
  };
  try {
    if (req.method !== "GET" && req.method !== "POST") throw cmqErrors.methodNotAllowed();
    const params = CmqParams.parse(await readParameters(req));
    clientRequestId = params.optionalString("clientRequestId");
    const principal = await authenticateCmq({ method: req.method, hosts: signedHosts(req), path, params });
    principal.source = requestSource(req);
    accountId = principal.accountId;
    const name = params.string("Action").toLowerCase();
    const action = actions.get(name);
    if (action) actionName = cmqActionLabel(name);
    if (!action) {
      throw plannedActions.has(name)
        ? cmqErrors.unsupportedAction(params.string("Action"))
        : cmqErrors.unknownAction(params.string("Action"));
    }
    // Read only by the actions that can wait (a long poll): the front makes a request's signal on demand.
    const data = await action({
      principal,
      params,
      get signal() {
        return req.signal;
      },
    });
    return counted(reply({ code: 0, message: "", requestId, ...withClientRequestId(clientRequestId), ...data }), false);
  } catch (error) {
    const cmqError = toCmq(error);
    // CMQ answers a receive that found nothing with an error code; it is not a failed call.
    return counted(
      reply({
        code: cmqError.code,
        message: cmqError.cmqMessage,
        requestId,
        ...withClientRequestId(clientRequestId),
        ...cmqError.extra,
      }),
      cmqError.errorCode !== "NO_MESSAGE",
    );
  }
}

// The largest legitimate request (BatchSendMessage: 16 bodies, delays and 5 tags each) has ~120.
const maxParameters = 1000;

/** The GET query string, or the POST body's bytes (CmqParams decodes them strictly as UTF-8). */
async function readParameters(req: NextRequest): Promise<string | Buffer> {
  const form = req.method === "GET" ? Buffer.from(req.nextUrl.search.slice(1)) : await readBodyBytes(req);
  let pairs = 1;
  for (let at = form.indexOf("&"); at >= 0 && pairs <= maxParameters; at = form.indexOf("&", at + 1)) pairs++;
  if (pairs > maxParameters) throw cmqErrors.tooManyParams(maxParameters);
  return form;
}

async function readBodyBytes(req: NextRequest): Promise<Buffer> {
  try {
    return await readBody(req);
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw cmqErrors.requestTooLarge();
    if (error instanceof BodyTimeoutError) throw cmqErrors.requestTimeout(error.timeoutMs);
    if (error instanceof BodyIncompleteError) throw new AppError("INVALID_INPUT", error.message);
    throw error;
  }
}

/** CMQ's spelling of a supported action (matched case-insensitively): `sendmessage` → SendMessage. */
const cmqActionLabel = (lowerName: string) =>
  Object.keys(cmqActionPermission).find((a) => a.toLowerCase() === lowerName) ?? lowerName;

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
  const known = appErrorOfDatabaseError(error);
  if (known) return toCmqError(known);
  logger.error({ err: error }, "unhandled error in CMQ action");
  return cmqErrors.internal();
}

function reply(body: Record<string, unknown>): NextResponse {
  let json = JSON.stringify(body);
  const id = body.clientRequestId;
  if (typeof id === "string") json = json.replace(`"clientRequestId":"${id}"`, `"clientRequestId":${id}`);
  return new NextResponse(json, { status: 200, headers: { "content-type": "application/json" } });
}
