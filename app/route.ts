import { type NextRequest, NextResponse } from "next/server";
import { handleCmqRequest } from "@/lib/cmq/handler";

// POST / — the CMQ action API at the root, where the Go SDK posts when its endpoint has no path
export const POST = (req: NextRequest) => handleCmqRequest(req, "/");

// GET / — a CMQ action when it carries one (?Action=…), else the console
export function GET(req: NextRequest) {
  if (req.nextUrl.searchParams.has("Action")) return handleCmqRequest(req, "/");
  return NextResponse.redirect(new URL("/queues", req.url));
}
