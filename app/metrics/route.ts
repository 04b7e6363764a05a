import type { NextRequest } from "next/server";
import { NextResponse } from "next/server";
import { errorResponse } from "@/lib/api/respond";
import { scrapeMetrics } from "@/lib/services/prometheus";

// GET /metrics — Prometheus text format: a bearer token (OPENCMQ_METRICS_TOKEN) for every account, or
// an API key (HTTP Basic) / console session with monitor:read for the queues its holder may see
export async function GET(req: NextRequest) {
  try {
    return new NextResponse(await scrapeMetrics(req), {
      status: 200,
      headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8", "cache-control": "no-store" },
    });
  } catch (error) {
    return errorResponse(error, { isBrowser: !req.headers.get("authorization") && !!req.headers.get("cookie") });
  }
}
