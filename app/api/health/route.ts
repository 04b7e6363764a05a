import { NextResponse } from "next/server";
import { getPool } from "@/lib/db/pool";
import { unavailableRetryAfterSeconds } from "@/lib/db/unavailable";

export const dynamic = "force-dynamic";

// GET /api/health — 200 when the app and its database answer (no authentication: for load balancers)
export async function GET() {
  try {
    await getPool().query("SELECT 1");
    return NextResponse.json({ status: "ok" });
  } catch {
    return NextResponse.json(
      { status: "unavailable", error: { code: "UNAVAILABLE", message: "The database does not answer." } },
      { status: 503, headers: { "retry-after": String(unavailableRetryAfterSeconds) } },
    );
  }
}
