import type { Principal } from "@/lib/auth/principal";
import { getPrisma } from "@/lib/db/prisma";
import { logger } from "@/lib/logger";

// The audit log: every change through the console, either API or the CLI, and every login attempt.
// Sends and receives are not audited one by one (they are counted in metrics).

export type AuditEntry = {
  action: string;
  resourceType: "queue" | "user" | "apikey" | "account" | "session";
  resourceName?: string | null;
  outcome?: "success" | "denied" | "failure";
  details?: Record<string, unknown>;
};

const viaLabel = { session: "console", apiKey: "api", cli: "cli" } as const;

/** Records what a principal did. Never throws: a failed audit write is logged, not fatal. */
export async function audit(principal: Principal, entry: AuditEntry): Promise<void> {
  await writeAudit({
    accountId: principal.accountId,
    actorType: principal.via === "apiKey" ? "apikey" : "user",
    actorId: principal.via === "apiKey" ? (principal.apiKeyId ?? null) : principal.userId,
    actorLabel: principal.label,
    via: viaLabel[principal.via],
    ip: principal.source?.ip ?? null,
    userAgent: principal.source?.userAgent ?? null,
    ...entry,
  });
}

export async function writeAudit(
  event: AuditEntry & {
    accountId: string | null;
    actorType: string;
    actorId: string | null;
    actorLabel: string;
    via: string;
    ip?: string | null;
    userAgent?: string | null;
  },
): Promise<void> {
  try {
    await getPrisma().auditEvent.create({
      data: {
        accountId: event.accountId,
        actorType: event.actorType,
        actorId: event.actorId,
        actorLabel: event.actorLabel,
        via: event.via,
        action: event.action,
        resourceType: event.resourceType,
        resourceName: event.resourceName ?? null,
        outcome: event.outcome ?? "success",
        ip: event.ip ?? null,
        userAgent: event.userAgent ?? null,
        details: (event.details ?? {}) as object,
      },
    });
  } catch (error) {
    logger.error({ err: error, action: event.action }, "could not write audit event");
  }
}
