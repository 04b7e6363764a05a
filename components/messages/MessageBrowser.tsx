"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { type ReactNode, useEffect, useMemo, useState } from "react";
import { Button } from "@/components/ui/Button";
import { Dialog } from "@/components/ui/Dialog";
import { EmptyState } from "@/components/ui/EmptyState";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { LoadMoreFooter } from "@/components/ui/LoadMoreFooter";
import { formatBytes, formatNumber } from "@/lib/client/format";
import { useCan } from "@/lib/client/me";
import {
  type BrowserFilter,
  describeFilter,
  filterFromSearchParams,
  hasNarrowing,
  messageFilterOf,
  searchParamsWithFilter,
} from "@/lib/client/message-browser-filter";
import { usePeekMessages } from "@/lib/client/messages";
import type { OperationKind } from "@/lib/client/operator-contract";
import type { MessageFilterState } from "@/lib/schemas/message-filter";
import type { StateTotals } from "@/lib/schemas/peek";
import { BulkActionDialog } from "./BulkActionDialog";
import { MessageDetail } from "./MessageDetail";
import { MessageFilterBar } from "./MessageFilterBar";
import { MessageTable } from "./MessageTable";

const stateTabs: { value: MessageFilterState; label: string }[] = [
  { value: "all", label: "All" },
  { value: "visible", label: "Visible" },
  { value: "inFlight", label: "In flight" },
  { value: "delayed", label: "Delayed" },
  { value: "dead", label: "Dead" },
  { value: "rewindable", label: "Rewindable" },
];

/**
 * A queue's messages, peeked (never received): state tabs with totals, filters in the URL's query
 * string, a detail panel (?message=<id>), and actions on one message or on everything that matches.
 */
export function MessageBrowser({ queueName }: { queueName: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const filter = useMemo(() => filterFromSearchParams(new URLSearchParams(searchParams.toString())), [searchParams]);
  const openId = searchParams.get("message");
  const navigate = (params: URLSearchParams) => {
    const search = params.toString();
    router.push(`${pathname}${search ? `?${search}` : ""}`, { scroll: false });
  };
  const applyFilter = (next: BrowserFilter) =>
    navigate(searchParamsWithFilter(new URLSearchParams(searchParams.toString()), next));
  const openMessage = (id: string | null) => {
    const params = new URLSearchParams(searchParams.toString());
    if (id) params.set("message", id);
    else params.delete("message");
    navigate(params);
  };

  const query = usePeekMessages(queueName, filter);
  const messages = query.data?.pages.flatMap((page) => page.messages) ?? [];
  const totals = useLastTotals(query.data?.pages[0]?.totals ?? null);
  const searched = query.data?.pages.at(-1)?.searched ?? null;
  const isFiltered = filter.state !== "all" || hasNarrowing(filter);
  const [bulk, setBulk] = useState<OperationKind | null>(null);

  let content: ReactNode;
  if (query.isPending) {
    content = <MessageTable messages={[]} isLoading />;
  } else if (query.isError && !query.data) {
    content = <ErrorBox error={query.error} title="Could not load messages" onRetry={() => query.refetch()} />;
  } else if (messages.length === 0 && query.hasNextPage) {
    // A search reads a bounded stretch of the queue per page; nothing matched in this stretch yet.
    content = (
      <EmptyState
        testId="messages-search-partial"
        title="No match so far"
        description={`A large queue is searched a stretch at a time; nothing matched in the part searched yet${searched ? ` (${formatNumber(searched.rows)} messages, ${formatBytes(searched.bytes)})` : ""}.`}
        action={
          <Button
            onClick={() => query.fetchNextPage()}
            isPending={query.isFetchingNextPage}
            data-testid="search-further"
          >
            Search further
          </Button>
        }
      />
    );
  } else if (messages.length === 0) {
    content = (
      <EmptyState
        testId="messages-empty"
        title="No messages"
        description={
          hasNarrowing(filter)
            ? "Nothing matches this filter. Clear it or change it."
            : filter.state !== "all"
              ? "No message is in this state now."
              : "Messages sent to this queue appear here until they are consumed."
        }
      />
    );
  } else {
    content = (
      <>
        {query.isError && (
          <ErrorBox error={query.error} title="Refresh failed; showing earlier data" onRetry={() => query.refetch()} />
        )}
        <MessageTable messages={messages} onOpen={openMessage} />
        <LoadMoreFooter
          shown={`${formatNumber(messages.length)} ${messages.length === 1 ? "message" : "messages"} shown`}
          shownTestId="messages-shown"
          pages={query}
          label={filter.search ? "Search further" : "Load more"}
          testId="load-more"
        />
      </>
    );
  }

  return (
    <section className="card" data-testid="message-browser">
      <div className="card-header card-header-padded card-header-wrap">
        <div>
          <h2 className="card-title">Messages</h2>
          <p className="muted small">A peek: browsing never receives or changes a message.</p>
        </div>
        <BulkActions queueName={queueName} filter={filter} isFiltered={isFiltered} onChoose={setBulk} />
      </div>
      <div className="card-toolbar message-toolbar">
        <fieldset className="segmented" data-testid="state-tabs">
          <legend className="visually-hidden">Message state</legend>
          {stateTabs.map((tab) => (
            <label key={tab.value} className="segmented-option" data-testid={`state-filter-${tab.value}`}>
              <input
                type="radio"
                name="message-state"
                className="visually-hidden"
                value={tab.value}
                checked={filter.state === tab.value}
                onChange={() => applyFilter({ ...filter, state: tab.value })}
              />
              {tab.label}
              {totals && (
                <span className="tab-count" data-testid={`state-total-${tab.value}`}>
                  {totals.isApproximate && tab.value !== "rewindable" ? "≈" : ""}
                  {formatNumber(totals[tab.value])}
                </span>
              )}
            </label>
          ))}
        </fieldset>
        {totals?.isApproximate && (
          <span className="muted small" data-testid="totals-approximate">
            ≈ approximate: a large queue's totals come from the last statistics sweep
          </span>
        )}
      </div>
      <MessageFilterBar filter={filter} onApply={applyFilter} />
      {filter.search && (
        <p className="muted small message-search-note" data-testid="search-refresh-note">
          Search results are not refreshed automatically (each page reads up to {formatBytes(8 * 1_048_576)} of bodies).{" "}
          <button type="button" className="link-button" onClick={() => query.refetch()} data-testid="refresh-search">
            Run the search again
          </button>
        </p>
      )}
      {content}
      {bulk && (
        <BulkActionDialog
          open
          onClose={() => setBulk(null)}
          queueName={queueName}
          kind={bulk}
          filter={messageFilterOf(filter)}
          description={describeFilter(filter)}
        />
      )}
      <Dialog
        open={openId !== null}
        onClose={() => openMessage(null)}
        title={`Message ${openId ?? ""}`}
        size="lg"
        testId="message-detail-dialog"
      >
        {openId && <MessageDetail queueName={queueName} id={openId} onGone={() => openMessage(null)} />}
        <div className="dialog-footer">
          <Button onClick={() => openMessage(null)} data-testid="close-message">
            Close
          </Button>
        </div>
      </Dialog>
    </section>
  );
}

/** The totals of the last first page, kept while another tab's first page loads. */
function useLastTotals(totals: StateTotals | null): StateTotals | null {
  const [last, setLast] = useState<StateTotals | null>(totals);
  useEffect(() => {
    if (totals) setLast(totals);
  }, [totals]);
  return totals ?? last;
}

/** Actions on everything the filter matches, each behind its permission. */
function BulkActions({
  queueName,
  filter,
  isFiltered,
  onChoose,
}: {
  queueName: string;
  filter: BrowserFilter;
  isFiltered: boolean;
  onChoose: (kind: OperationKind) => void;
}) {
  const { can } = useCan();
  const scope = isFiltered ? "matching" : "all";
  const live = filter.state !== "rewindable";
  const actions: { kind: OperationKind; label: string; isShown: boolean }[] = [
    {
      kind: "redrive",
      label: `Redrive ${scope}`,
      isShown: filter.state === "dead" && can("message:redrive", queueName),
    },
    { kind: "move", label: `Move ${scope}`, isShown: live && can("message:redrive", queueName) },
    { kind: "copy", label: `Copy ${scope}`, isShown: live && can("message:redrive", queueName) },
    { kind: "purge", label: `Purge ${scope}`, isShown: can("message:purge", queueName) },
  ];
  const shown = actions.filter((a) => a.isShown);
  if (shown.length === 0) return null;
  return (
    <div className="row-actions" data-testid="bulk-actions">
      {shown.map((a) => (
        <Button
          key={a.kind}
          size="sm"
          variant={a.kind === "purge" ? "danger" : "secondary"}
          onClick={() => onChoose(a.kind)}
          data-testid={`bulk-${a.kind}`}
        >
          {a.label}…
        </Button>
      ))}
    </div>
  );
}
