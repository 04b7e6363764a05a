import { NextResponse } from "next/server";

export const dynamic = "force-dynamic";

// GET /api/health/live — 200 while this process serves requests, whatever the database's state (for
// an orchestrator's liveness probe: restarting the app does not cure a database outage, so this
// never fails because of one; readiness is /api/health/ready). No authentication.
export function GET() {
  return NextResponse.json({ status: "live" });
}
