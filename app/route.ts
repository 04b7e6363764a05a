import { type NextRequest, NextResponse } from "next/server";
import { handleCmqRequest } from "@/lib/cmq/handler";

// POST / — the CMQ action API at the root, where the Go SDK posts when its endpoint has no path
export const POST = (req: NextRequest) => handleCmqRequest(req, "/");

// GET / — a CMQ action when it carries one (?Action=…), else the console
export function GET(req: NextRequest) {
  if (req.nextUrl.searchParams.has("Action")) return handleCmqRequest(req, "/");
  // A relative Location: the browser stays on the host it used (req.url's host is the server's own).
  return new NextResponse(null, { status: 307, headers: { Location: "/queues" } });
}
