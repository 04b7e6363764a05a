import { createHash, timingSafeEqual } from "node:crypto";
import type { NextRequest } from "next/server";
import { authenticate } from "@/lib/api/authenticate";
import { canSeeQueue } from "@/lib/auth/permissions";
import { settings } from "@/lib/config";
import { renderPrometheus } from "@/lib/metrics/prometheus";
import { authorize } from "./authorize";

const digest = (text: string) => createHash("sha256").update(text).digest();

/**
 * The /metrics text for whoever asks: `Authorization: Bearer <OPENCMQ_METRICS_TOKEN>` reads every
 * account (the operator's scraper); otherwise the caller authenticates as on the REST API (HTTP Basic
 * API key, or a console session) and needs monitor:read, and sees only its account's queues that it
 * may see (DESIGN.md §4.5).
 */
export async function scrapeMetrics(req: NextRequest): Promise<string> {
  const header = req.headers.get("authorization") ?? "";
  const token = settings().metricsToken;
  if (token && header.toLowerCase().startsWith("bearer ")) {
    // Compared as digests: constant time, whatever the lengths.
    if (timingSafeEqual(digest(header.slice(7).trim()), digest(token))) {
      return renderPrometheus({ accountId: null, canSee: () => true });
    }
  }
  const principal = await authenticate(req);
  authorize(principal, "monitor:read");
  return renderPrometheus({ accountId: principal.accountId, canSee: (name) => canSeeQueue(principal.access, name) });
}
