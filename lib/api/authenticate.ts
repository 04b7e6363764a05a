import type { NextRequest } from "next/server";
import { getToken } from "next-auth/jwt";
import { authenticateBasic } from "@/lib/auth/api-keys";
import type { Principal } from "@/lib/auth/principal";
import { AppError } from "@/lib/errors";

const unsafeMethods = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * HTTP Basic with SecretId / SecretKey for machines; the next-auth session cookie for the console.
 * A request that presents credentials is judged on them alone, never on a cookie beside them.
 */
export async function authenticate(req: NextRequest): Promise<Principal> {
  const header = req.headers.get("authorization");
  if (header) {
    const [scheme, encoded] = header.split(" ");
    if (scheme?.toLowerCase() !== "basic" || !encoded) {
      throw new AppError("UNAUTHORIZED", "Use HTTP Basic authentication with your SecretId and SecretKey.");
    }
    const decoded = Buffer.from(encoded, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    const principal = colon > 0 ? await authenticateBasic(decoded.slice(0, colon), decoded.slice(colon + 1)) : null;
    if (!principal) throw new AppError("UNAUTHORIZED", "The SecretId or SecretKey is wrong, or the key is disabled.");
    return principal;
  }
  const token = await getToken({ req, secret: process.env.NEXTAUTH_SECRET });
  if (!token?.accountId || !token.userId) {
    throw new AppError("UNAUTHORIZED", "Sign in, or authenticate with HTTP Basic (SecretId:SecretKey).");
  }
  if (unsafeMethods.has(req.method) && !isSameOrigin(req)) {
    throw new AppError("FORBIDDEN", "Cross-site request refused: console changes must come from the console itself.");
  }
  return { accountId: String(token.accountId), userId: String(token.userId), via: "session" };
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
