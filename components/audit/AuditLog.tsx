"use client";

import type { ReactNode } from "react";
import { Button } from "@/components/ui/Button";
import { EmptyState } from "@/components/ui/EmptyState";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { LoadMoreFooter } from "@/components/ui/LoadMoreFooter";
import { NoAccess } from "@/components/ui/NoAccess";
import { PageHeader } from "@/components/ui/PageHeader";
import { useAuditEvents } from "@/lib/client/audit";
import {
  type AuditFilterValues,
  auditRangeError,
  emptyAuditFilter,
  isAuditFilterEmpty,
  toAuditParams,
} from "@/lib/client/audit-filter";
import { useCan } from "@/lib/client/me";
import { useUrlFilter } from "@/lib/client/url-filter";
import { AuditFilterBar } from "./AuditFilterBar";
import { AuditTable } from "./AuditTable";

/** The audit log page: who changed what, through which door, and whether it was allowed. */
export function AuditLog() {
  const { can, reason, isLoading: isMeLoading } = useCan();
  const mayRead = can("audit:read");
  // The filters live in the URL (shareable, kept across reloads and Back); typing applies after a pause.
  const filter = useUrlFilter<AuditFilterValues>(emptyAuditFilter);
  const values = filter.input;
  const setValues = (next: AuditFilterValues) =>
    next.actor !== values.actor || next.resource !== values.resource ? filter.setInput(next) : filter.apply(next);
  // A fresh object each render is fine: react-query compares keys by value.
  const params = toAuditParams(filter.applied);
  const query = useAuditEvents(params, mayRead);
  const events = query.data?.pages.flatMap((page) => page.events) ?? [];
  const rangeError = auditRangeError(values);

  const header = (
    <PageHeader
      title="Audit log"
      description="Every change through the console, the APIs and the CLI, every refused attempt and every sign-in."
      actions={
        mayRead && (
          <Button
            onClick={() => query.refetch()}
            isPending={query.isRefetching && !query.isFetchingNextPage}
            data-testid="audit-refresh"
          >
            Refresh
          </Button>
        )
      }
    />
  );

  if (!isMeLoading && !mayRead) {
    return (
      <>
        {header}
        <NoAccess title="You cannot read the audit log" reason={reason("audit:read")} />
      </>
    );
  }

  let content: ReactNode;
  if (query.isPending || isMeLoading) {
    content = <AuditTable events={[]} isLoading />;
  } else if (query.isError && !query.data) {
    content = <ErrorBox error={query.error} title="Could not load the audit log" onRetry={() => query.refetch()} />;
  } else if (events.length === 0) {
    content = isAuditFilterEmpty(values) ? (
      <EmptyState testId="audit-empty" title="No events yet" description="Changes and sign-ins will appear here." />
    ) : (
      <EmptyState
        testId="audit-empty"
        title="No events match these filters"
        description="Widen the time range or clear a filter."
      />
    );
  } else {
    content = (
      <>
        {query.isError && (
          <ErrorBox error={query.error} title="Could not load more events" onRetry={() => query.refetch()} />
        )}
        <AuditTable events={events} />
        <LoadMoreFooter
          shown={`${events.length} ${events.length === 1 ? "event" : "events"} shown${query.hasNextPage ? "" : " · the end of the log"}`}
          shownTestId="audit-shown"
          pages={query}
          label="Load more"
          testId="audit-load-more"
        />
      </>
    );
  }

  return (
    <>
      {header}
      <section className="card">
        <AuditFilterBar values={values} onChange={setValues} />
        {rangeError && (
          <p className="form-error audit-range-error" role="alert" data-testid="audit-range-error">
            {rangeError}
          </p>
        )}
        {content}
      </section>
    </>
  );
}
