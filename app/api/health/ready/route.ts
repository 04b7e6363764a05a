import { NextResponse } from "next/server";
import { probeReadiness, type Readiness } from "@/lib/db/readiness";
import { unavailableRetryAfterSeconds } from "@/lib/db/unavailable";

export const dynamic = "force-dynamic";

// GET /api/health/ready — 200 when this process can take traffic: the database answers and is a
// primary, every migration of this build is applied, and a primary configured for synchronous
// replication has its synchronous standbys streaming (lib/db/readiness.ts). Otherwise 503 with
// Retry-After and the failed checks. No authentication: for load balancers and orchestrators.
export async function GET() {
  const notReady = (message: string, details: object = {}) =>
    NextResponse.json(
      { status: "not-ready", ...details, error: { code: "UNAVAILABLE", message } },
      { status: 503, headers: { "retry-after": String(unavailableRetryAfterSeconds) } },
    );
  let readiness: Readiness;
  try {
    readiness = await probeReadiness();
  } catch {
    return notReady("The database does not answer.");
  }
  const { isReady, problems, ...checks } = readiness;
  if (!isReady) return notReady(`Not ready: ${problems.join("; ")}.`, { checks });
  return NextResponse.json({ status: "ready", checks });
}
