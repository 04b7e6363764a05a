import { SkeletonRows } from "@/components/ui/SkeletonRows";
import { Table } from "@/components/ui/Table";
import { Timestamp } from "@/components/ui/Timestamp";
import type { AuditEvent } from "@/lib/client/audit";
import { OutcomeBadge } from "./OutcomeBadge";

const viaLabels: Record<string, string> = { console: "Console", api: "API", cli: "CLI" };
const actorTypeLabels: Record<string, string> = { user: "user", apikey: "API key" };

/**
 * Time, actor, via, action, resource, outcome, IP: fixed, so a filter never moves the columns. The
 * actor column holds a typical email and a SecretId on one line at 1440 px; below 1120 px the table
 * scrolls.
 */
const columns = ["236px", "27%", "92px", "164px", "auto", "108px", "120px"] as const;

const hasDetails = (details: unknown) =>
  details !== null && typeof details === "object" && Object.keys(details as object).length > 0;

/** Presentational: one row per event, newest first. */
export function AuditTable({ events, isLoading = false }: { events: AuditEvent[]; isLoading?: boolean }) {
  return (
    <Table testId="audit-table" aria-label="Audit events" columns={columns} minWidth={1120}>
      <thead>
        <tr>
          <th>Time</th>
          <th>Actor</th>
          <th>Via</th>
          <th>Action</th>
          <th>Resource</th>
          <th>Outcome</th>
          <th>IP</th>
        </tr>
      </thead>
      <tbody>
        {isLoading && <SkeletonRows columns={7} />}
        {events.map((event) => (
          <tr key={event.id} data-testid="audit-row" data-action={event.action}>
            <td>
              <Timestamp iso={event.at} />
            </td>
            <td>
              {event.actorKey ? (
                <>
                  <span className="audit-actor" data-testid="audit-actor">
                    {event.actorKey.ownerEmail}
                  </span>
                  <div className="muted small" data-testid="audit-actor-key">
                    API key {event.actorKey.description ? `“${event.actorKey.description}” ` : ""}
                    <span className="mono audit-secret-id">{event.actorLabel}</span>
                  </div>
                </>
              ) : (
                <>
                  <span className="audit-actor" data-testid="audit-actor">
                    {event.actorLabel}
                  </span>
                  <div className="muted small">{actorTypeLabels[event.actorType] ?? event.actorType}</div>
                </>
              )}
            </td>
            <td>
              <span className="via-label">{viaLabels[event.via] ?? event.via}</span>
            </td>
            <td>
              <code className="mono audit-action" data-testid="audit-action">
                {event.action}
              </code>
              {hasDetails(event.details) && (
                <details className="audit-details">
                  <summary>details</summary>
                  <pre>{JSON.stringify(event.details, null, 2)}</pre>
                </details>
              )}
            </td>
            <td>
              {event.resourceName ? (
                <>
                  <span className="mono audit-resource" data-testid="audit-resource">
                    {event.resourceName}
                  </span>
                  <div className="muted small">{event.resourceType}</div>
                </>
              ) : (
                <span className="muted">{event.resourceType}</span>
              )}
            </td>
            <td>
              <OutcomeBadge outcome={event.outcome} />
            </td>
            <td>
              <span className={event.ip ? "mono" : "muted"} title={event.userAgent ?? undefined}>
                {event.ip || "—"}
              </span>
            </td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
