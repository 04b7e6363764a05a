import type { NextRequest } from "next/server";
import { getToken } from "next-auth/jwt";
import { loadSessionUser } from "@/lib/auth/access";
import { authenticateBasic } from "@/lib/auth/key-credentials";
import type { Principal } from "@/lib/auth/principal";
import { settings } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { clientAddress } from "@/lib/http/client-address";
import { isText } from "@/lib/schemas/text";

const unsafeMethods = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * HTTP Basic with SecretId / SecretKey for machines; the next-auth session cookie for the console.
 * A request that presents credentials is judged on them alone, never on a cookie beside them.
 */
export async function authenticate(req: NextRequest): Promise<Principal> {
  const principal = await identify(req);
  principal.source = requestSource(req);
  return principal;
}

/** Where a request came from, for the audit log: X-Forwarded-For counts only from trusted proxies. */
export function requestSource(req: Request) {
  return {
    ip: clientAddress(req.headers),
    userAgent: req.headers.get("user-agent")?.slice(0, 200) || undefined,
  };
}

async function identify(req: NextRequest): Promise<Principal> {
  const header = req.headers.get("authorization");
  if (header) {
    const [scheme, encoded] = header.split(" ");
    if (scheme?.toLowerCase() !== "basic" || !encoded) {
      throw new AppError("UNAUTHORIZED", "Use HTTP Basic authentication with your SecretId and SecretKey.");
    }
    const decoded = Buffer.from(encoded, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    // NUL would reach the key lookup's SQL as an error: such credentials are simply wrong.
    const principal =
      colon > 0 && isText(decoded) ? await authenticateBasic(decoded.slice(0, colon), decoded.slice(colon + 1)) : null;
    if (!principal) throw new AppError("UNAUTHORIZED", "The SecretId or SecretKey is wrong, or the key is disabled.");
    return principal;
  }
  const token = await getToken({ req, secret: settings().nextAuthSecret });
  if (!token?.accountId || !token.userId) {
    throw new AppError("UNAUTHORIZED", "Sign in, or authenticate with HTTP Basic (SecretId:SecretKey).");
  }
  if (unsafeMethods.has(req.method) && !isSameOrigin(req)) {
    throw new AppError("FORBIDDEN", "Cross-site request refused: console changes must come from the console itself.");
  }
  const user = await loadSessionUser(String(token.userId), token.sessionGeneration);
  if (!user) {
    throw new AppError(
      "UNAUTHORIZED",
      "Your session has ended (signed out, password or role changed, or user disabled). Sign in again.",
    );
  }
  return { accountId: user.accountId, userId: user.userId, via: "session", label: user.email, access: user.access };
}

// CSRF defence for cookie sessions: browsers send Origin on every cross-site write, so a write
// whose Origin is absent or another site's is refused (beside next-auth's SameSite=Lax cookie).
function isSameOrigin(req: NextRequest): boolean {
  const origin = req.headers.get("origin");
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  if (!origin || !host) return req.headers.get("sec-fetch-site") === "same-origin";
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
