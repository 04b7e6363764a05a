import { type NextRequest, NextResponse } from "next/server";
import { getToken } from "next-auth/jwt";
import { settings } from "@/lib/config";

// Console pages: a visitor without a session goes to /login and comes back afterwards
// (callbackUrl). The (console) layout checks the session again; APIs authenticate for themselves.
// API paths come here only when they hold a "%": one whose percent-encoding does not decode to
// UTF-8 gets the REST 400 (Next's router would fail to decode it and answer a plain-text 500).
export async function proxy(req: NextRequest) {
  if (req.nextUrl.pathname.startsWith("/api/")) return refuseUndecodablePath(req.nextUrl.pathname);
  const token = await getToken({ req, secret: settings().nextAuthSecret });
  if (token?.accountId) return NextResponse.next();
  const login = new URL("/login", req.url);
  login.searchParams.set("callbackUrl", `${req.nextUrl.pathname}${req.nextUrl.search}`);
  return NextResponse.redirect(login);
}

function refuseUndecodablePath(pathname: string) {
  try {
    decodeURIComponent(pathname);
    return NextResponse.next();
  } catch {
    return NextResponse.json(
      { error: { code: "INVALID_INPUT", message: "The path is not valid percent-encoded UTF-8." } },
      { status: 400 },
    );
  }
}

export const config = {
  matcher: [
    "/queues",
    "/queues/:path*",
    "/topics",
    "/topics/:path*",
    "/access",
    "/access/:path*",
    "/account",
    "/account/:path*",
    "/overview",
    "/database",
    "/alarms",
    "/api/:rest(.*%.*)",
  ],
};
