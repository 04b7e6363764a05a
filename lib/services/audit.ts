import type { Principal } from "@/lib/auth/principal";
import { escapeLike } from "@/lib/db/like";
import { getPrisma } from "@/lib/db/prisma";
import type { Prisma } from "@/lib/generated/prisma/client";
import { logger } from "@/lib/logger";
import type { AuditQuery } from "@/lib/schemas/access";
import { authorize } from "./authorize";

// The audit log: every change through the console, either API or the CLI, and every login attempt;
// written here by the services (audit, writeAudit), read by the account's auditors (listAuditEvents).
// Sends and receives are not audited one by one (they are counted in metrics).
//
// A change passes its transaction (`tx`): the audit row commits with the change or neither does, and a
// failed audit write fails the change. Without `tx` (refused attempts, logins) the row is a standalone
// write whose failure is logged, so an audit outage cannot turn a refusal into a different answer.

export type AuditEntry = {
  action: string;
  resourceType: "queue" | "topic" | "subscription" | "user" | "apikey" | "account" | "session" | "alarm";
  resourceName?: string | null;
  outcome?: "success" | "denied" | "failure";
  details?: Record<string, unknown>;
};

export type AuditEvent = AuditEntry & {
  accountId: string | null;
  actorType: string;
  actorId: string | null;
  actorLabel: string;
  via: string;
  ip?: string | null;
  userAgent?: string | null;
};

/** A Prisma transaction client (or the client itself). */
export type Db = Prisma.TransactionClient;

const viaLabel = { session: "console", apiKey: "api", cli: "cli" } as const;
const actorTypes = { session: "user", apiKey: "apikey", cli: "cli" } as const;

/** Records what a principal did; inside `tx` when it records a change. */
export async function audit(principal: Principal, entry: AuditEntry, tx?: Db): Promise<void> {
  await writeAudit(
    {
      accountId: principal.accountId,
      actorType: actorTypes[principal.via],
      // The CLI is the installation's operator, not a user of the account.
      actorId:
        principal.via === "apiKey" ? (principal.apiKeyId ?? null) : principal.via === "cli" ? null : principal.userId,
      actorLabel: principal.label,
      via: viaLabel[principal.via],
      ip: principal.source?.ip ?? null,
      userAgent: principal.source?.userAgent ?? null,
      ...entry,
    },
    tx,
  );
}

export async function writeAudit(event: AuditEvent, tx?: Db): Promise<void> {
  if (tx) {
    await insertAudit(tx, event);
    return;
  }
  try {
    await insertAudit(getPrisma(), event);
  } catch (error) {
    logger.error({ err: error, action: event.action }, "could not write audit event");
  }
}

async function insertAudit(db: Db, event: AuditEvent) {
  await db.auditEvent.create({
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
}

/** Runs a change and its audit row in one transaction (generous waits: queue creates queue on the account lock). */
export function inChangeTransaction<T>(change: (tx: Db) => Promise<T>): Promise<T> {
  return getPrisma().$transaction(change, { maxWait: 10_000, timeout: 20_000 });
}

/** A page of the account's audit log, newest first, filtered. */
export async function listAuditEvents(principal: Principal, query: AuditQuery) {
  authorize(principal, "audit:read");
  const contains = (value: string | undefined) =>
    value ? { contains: escapeLike(value), mode: "insensitive" as const } : undefined;
  const rows = await getPrisma().auditEvent.findMany({
    where: {
      accountId: principal.accountId,
      actorLabel: contains(query.actor),
      action: contains(query.action),
      resourceName: contains(query.resource),
      outcome: query.outcome,
      at: { gte: query.from ? new Date(query.from) : undefined, lte: query.to ? new Date(query.to) : undefined },
      ...(query.cursor ? { id: { lt: BigInt(query.cursor) } } : {}),
    },
    orderBy: { id: "desc" },
    take: query.limit,
  });
  const keys = await keysOfActors(
    principal.accountId,
    rows.filter((e) => e.actorType === "apikey" && e.actorId).map((e) => e.actorId as string),
  );
  return {
    events: rows.map((e) => ({
      id: e.id.toString(),
      at: e.at.toISOString(),
      actorType: e.actorType,
      actorLabel: e.actorLabel,
      actorKey: (e.actorType === "apikey" && e.actorId && keys.get(e.actorId)) || null,
      via: e.via,
      action: e.action,
      resourceType: e.resourceType,
      resourceName: e.resourceName,
      outcome: e.outcome,
      ip: e.ip,
      userAgent: e.userAgent,
      details: e.details,
    })),
    nextCursor: rows.length === query.limit ? (rows.at(-1)?.id.toString() ?? null) : null,
  };
}

/** Who holds each of these API keys and what it is for: the audit log names a key by its owner, not its SecretId. */
async function keysOfActors(accountId: string, keyIds: string[]) {
  const unique = [...new Set(keyIds)].filter((id) => uuidPattern.test(id));
  const keys = unique.length
    ? await getPrisma().apiKey.findMany({
        where: { accountId, id: { in: unique } },
        select: { id: true, description: true, user: { select: { email: true } } },
      })
    : [];
  return new Map(keys.map((k) => [k.id, { ownerEmail: k.user.email, description: k.description }]));
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
