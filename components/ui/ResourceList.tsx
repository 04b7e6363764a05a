"use client";

import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { ButtonLink } from "@/components/ui/ButtonLink";
import { DeniedNote } from "@/components/ui/DeniedNote";
import { EmptyState } from "@/components/ui/EmptyState";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { PageHeader } from "@/components/ui/PageHeader";
import { Pagination } from "@/components/ui/Pagination";
import type { Permission } from "@/lib/auth/permissions";
import { formatNumber } from "@/lib/client/format";
import { useCan } from "@/lib/client/me";
import type { UrlFilter } from "@/lib/client/url-filter";

export const listPageSize = 20;

/** The page offset in the URL, or 0 when it is not a plain number. */
export const pageOf = (offset: string) => (/^\d{1,9}$/.test(offset) ? Number(offset) : 0);

/** The URL state every resource list has; a list may add its own keys (the queue list's sort). */
export type ListUrlState = { search: string; offset: string; deleted: string };

type Props<Row, Filter extends ListUrlState> = {
  /** "queue" or "topic": the words, links and test ids of the page. */
  noun: string;
  /** The page's description until the first answer. */
  tagline: string;
  createPermission: Permission;
  /** What the empty state says to whoever may create one, and to whoever may not. */
  emptyHint: { mayCreate: string; mayNot: string };
  /** The rest of "<Noun> <name> was deleted, …" shown after a delete. */
  deletedSuffix: string;
  filter: UrlFilter<Filter>;
  query: UseQueryResult<{ total: number }>;
  rows: Row[] | undefined;
  table: (rows: Row[], isLoading: boolean) => ReactNode;
};

/**
 * A list page of the console (queues, topics): search and paging in the URL, the four states of a
 * list (loading, failed, empty, no match) plus "showing earlier data" when a refresh fails, the
 * create button or why it is not offered, and the notice after a delete.
 */
export function ResourceList<Row, Filter extends ListUrlState>(props: Props<Row, Filter>) {
  const { noun, filter, query } = props;
  const plural = `${noun}s`;
  const Noun = noun.charAt(0).toUpperCase() + noun.slice(1);
  const { data } = query;
  const search = filter.applied.search;
  const offset = pageOf(filter.applied.offset);
  const { can, reason, isLoading: isMeLoading } = useCan();
  const mayCreate = can(props.createPermission);
  const createButton = mayCreate ? (
    <ButtonLink href={`/${plural}/new`} variant="primary" data-testid={`create-${noun}`}>
      Create {noun}
    </ButtonLink>
  ) : isMeLoading ? null : (
    <DeniedNote reason={reason(props.createPermission)} testId={`create-${noun}-denied`}>
      Creating {plural} is not part of your role
    </DeniedNote>
  );

  let content: ReactNode;
  if (query.isPending) {
    content = props.table([], true);
  } else if (query.isError && !data) {
    content = <ErrorBox error={query.error} title={`Could not load ${plural}`} onRetry={() => query.refetch()} />;
  } else if (data && data.total === 0 && !search) {
    content = (
      <EmptyState
        testId={`${plural}-empty`}
        title={`No ${plural} yet`}
        description={mayCreate ? props.emptyHint.mayCreate : props.emptyHint.mayNot}
        action={mayCreate ? createButton : undefined}
      />
    );
  } else if (data && props.rows?.length === 0) {
    content = (
      <EmptyState
        testId={`${plural}-no-match`}
        title={`No ${plural} match “${search}”`}
        description="Try another part of the name."
      />
    );
  } else if (data && props.rows) {
    content = (
      <>
        {query.isError && (
          <ErrorBox error={query.error} title="Refresh failed; showing earlier data" onRetry={() => query.refetch()} />
        )}
        {props.table(props.rows, false)}
        <Pagination
          offset={offset}
          limit={listPageSize}
          total={data.total}
          onChange={(next) => filter.apply({ ...filter.applied, offset: String(next) })}
          noun={plural}
        />
      </>
    );
  }

  return (
    <>
      <PageHeader
        title={`${Noun}s`}
        description={data ? `${formatNumber(data.total)} ${data.total === 1 ? noun : plural}` : props.tagline}
        actions={createButton}
      />
      {filter.applied.deleted && (
        <p className="notice notice-success notice-dismissible" role="status" data-testid={`${noun}-deleted`}>
          <span>
            {Noun} <strong className="mono">{filter.applied.deleted}</strong> was deleted, {props.deletedSuffix}
          </span>
          <button
            type="button"
            className="btn btn-ghost btn-sm"
            onClick={() => filter.apply({ ...filter.applied, deleted: "" })}
          >
            Dismiss
          </button>
        </p>
      )}
      <section className="card">
        <div className="card-toolbar">
          <input
            type="search"
            className="input input-search"
            placeholder={`Search ${plural} by name`}
            aria-label={`Search ${plural}`}
            value={filter.input.search}
            maxLength={64}
            // A new search starts again from the first page.
            onChange={(e) => filter.setInput({ ...filter.input, search: e.target.value, offset: "0" })}
            data-testid={`${noun}-search`}
          />
          {query.isFetching && !query.isPending && <span className="muted small">Refreshing…</span>}
        </div>
        {content}
      </section>
    </>
  );
}
