import { NextRequest } from "next/server";
import { errorResponse } from "@/lib/api/respond";
import { readBodyOrThrow } from "@/lib/api/route";
import { AppError } from "@/lib/errors";
import { loginBusyError } from "./next-auth";
import { hashRetryAfterSeconds } from "./passwords";

/** A sign-in form is a few hundred bytes; nothing next-auth accepts comes near this. */
const maxAuthBodyBytes = 64 * 1024;

type Handler = (req: NextRequest, ctx: { params: Promise<{ nextauth: string[] }> }) => Promise<Response>;

/**
 * next-auth's route handler with two limits it lacks: the body is read with a byte limit and a
 * deadline before next-auth parses it; and a login refused because every password-hashing slot was
 * busy answers 429 with Retry-After (next-auth itself reports every refused login as 401).
 */
export function withAuthLimits(handler: Handler): Handler {
  return async (req, ctx) => {
    let bounded = req;
    if (req.method === "POST") {
      try {
        const body = await readBodyOrThrow(req, maxAuthBodyBytes);
        bounded = new NextRequest(req.url, { method: req.method, headers: req.headers, body: new Uint8Array(body) });
      } catch (error) {
        return errorResponse(error, { isBrowser: true });
      }
    }
    const response = await handler(bounded, ctx);
    if (response.status !== 401 || !(await isLoginBusy(response))) return response;
    return errorResponse(
      new AppError("THROTTLED", "Too many sign-ins at once; retry in a few seconds.", {
        retryAfterSeconds: hashRetryAfterSeconds,
      }),
      { isBrowser: true },
    );
  };
}

// The refusal's error name travels in the redirect URL: a Location header, or { url } for json=true.
async function isLoginBusy(response: Response): Promise<boolean> {
  const marker = `error=${loginBusyError}`;
  if (response.headers.get("location")?.includes(marker)) return true;
  if (!response.headers.get("content-type")?.includes("application/json")) return false;
  const body = (await response.clone().json()) as { url?: string };
  return typeof body.url === "string" && body.url.includes(marker);
}
