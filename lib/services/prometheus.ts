import { createHash, timingSafeEqual } from "node:crypto";
import type { NextRequest } from "next/server";
import { authenticate } from "@/lib/api/authenticate";
import { canMonitorQueue } from "@/lib/auth/permissions";
import { settings } from "@/lib/config";
import { renderPrometheus } from "@/lib/metrics/prometheus";
import { authorize } from "./authorize";
import { accountScope } from "./metrics";

const digest = (text: string) => createHash("sha256").update(text).digest();

/**
 * The /metrics text for whoever asks: `Authorization: Bearer <OPENCMQ_METRICS_TOKEN>` reads every
 * account (the operator's scraper); otherwise the caller authenticates as on the REST API (HTTP Basic
 * API key, or a console session) and needs monitor:read, and sees only its account's queues that it
 * may monitor (DESIGN.md §4.5; a key narrowed to monitor:read sees its user's queues), with the API
 * call counters only if it sees every queue and topic.
 */
export async function scrapeMetrics(req: NextRequest): Promise<string> {
  const header = req.headers.get("authorization") ?? "";
  const token = settings().metricsToken;
  if (token && header.toLowerCase().startsWith("bearer ")) {
    // Compared as digests: constant time, whatever the lengths.
    if (timingSafeEqual(digest(header.slice(7).trim()), digest(token))) {
      return renderPrometheus({ accountId: null, canSee: () => true, includesApiCalls: true });
    }
  }
  const principal = await authenticate(req);
  authorize(principal, "monitor:read");
  const { access } = principal;
  return renderPrometheus({
    accountId: principal.accountId,
    canSee: (name) => canMonitorQueue(access, name),
    // Some queue or topic hidden from this key: the API counters, which count calls on all of them, are left out.
    includesApiCalls: (await accountScope(principal.accountId, access)).only === undefined,
  });
}
