"use client";

import type { UseQueryResult } from "@tanstack/react-query";
import Link from "next/link";
import { isApiError } from "@/lib/client/api-client";
import { ButtonLink } from "./ButtonLink";
import { EmptyState } from "./EmptyState";
import { ErrorBox } from "./ErrorBox";
import { PageHeader } from "./PageHeader";
import { Spinner } from "./Spinner";

/**
 * A resource's page (a queue, a topic) before it has data: loading, "not found" with a way back, or
 * the error with Retry. Once loaded, a failed refresh keeps the page (the connection notice says it
 * may be stale), so callers show this only while `query.data` is undefined.
 */
export function ResourceLoadState({
  query,
  noun,
  name,
}: {
  query: Pick<UseQueryResult, "isPending" | "error" | "refetch">;
  /** "queue" or "topic": the list's URL is /<noun>s. */
  noun: string;
  name: string;
}) {
  const plural = `${noun}s`;
  const Nouns = plural.charAt(0).toUpperCase() + plural.slice(1);
  const header = <PageHeader breadcrumb={<Link href={`/${plural}`}>{Nouns}</Link>} title={name} />;
  if (query.isPending) {
    return (
      <>
        {header}
        <div className="card card-padded center">
          <Spinner label={`Loading ${noun}…`} />
        </div>
      </>
    );
  }
  const isNotFound = isApiError(query.error) && query.error.status === 404;
  return (
    <>
      {header}
      {isNotFound ? (
        <div className="card">
          <EmptyState
            testId={`${noun}-not-found`}
            title={`${Nouns.slice(0, -1)} not found`}
            description={`There is no ${noun} named “${name}” in your account. It may have been deleted.`}
            action={<ButtonLink href={`/${plural}`}>Back to {plural}</ButtonLink>}
          />
        </div>
      ) : (
        <ErrorBox error={query.error} title={`Could not load the ${noun}`} onRetry={() => query.refetch()} />
      )}
    </>
  );
}
