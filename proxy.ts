import { type NextRequest, NextResponse } from "next/server";
import { getToken } from "next-auth/jwt";

// Console pages only: a visitor without a session goes to /login and comes back afterwards
// (callbackUrl). The (console) layout checks the session again; APIs authenticate for themselves.
export async function proxy(req: NextRequest) {
  const token = await getToken({ req, secret: process.env.NEXTAUTH_SECRET });
  if (token?.accountId) return NextResponse.next();
  const login = new URL("/login", req.url);
  login.searchParams.set("callbackUrl", `${req.nextUrl.pathname}${req.nextUrl.search}`);
  return NextResponse.redirect(login);
}

export const config = {
  matcher: ["/queues", "/queues/:path*", "/access", "/access/:path*", "/account", "/account/:path*"],
};
