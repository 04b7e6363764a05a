import type { Principal } from "@/lib/auth/principal";
import { escapeLike } from "@/lib/db/like";
import { getPrisma } from "@/lib/db/prisma";
import type { AuditQuery } from "@/lib/schemas/access";
import { authorize } from "./authorize";

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
  return {
    events: rows.map((e) => ({
      id: e.id.toString(),
      at: e.at.toISOString(),
      actorType: e.actorType,
      actorLabel: e.actorLabel,
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
