"use client";

import { type ReactNode, useState } from "react";
import { Button } from "@/components/ui/Button";
import { EmptyState } from "@/components/ui/EmptyState";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { usePeekMessages } from "@/lib/client/messages";
import { useDebouncedValue } from "@/lib/client/use-debounced-value";
import type { MessageState } from "@/lib/schemas/message";
import { MessageTable } from "./MessageTable";

const stateFilters: { value: MessageState; label: string }[] = [
  { value: "all", label: "All" },
  { value: "visible", label: "Visible" },
  { value: "inFlight", label: "In flight" },
  { value: "delayed", label: "Delayed" },
];

/** Read-only browser of a queue's messages (peek): filter by state, search bodies, load more. */
export function MessageBrowser({ queueName }: { queueName: string }) {
  const [state, setState] = useState<MessageState>("all");
  const [searchInput, setSearchInput] = useState("");
  const search = useDebouncedValue(searchInput.trim(), 300);
  const query = usePeekMessages(queueName, { state, search });
  const messages = query.data?.pages.flatMap((page) => page.messages) ?? [];
  const isFiltered = state !== "all" || search !== "";

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
        description="A large queue is searched a stretch at a time; nothing matched in the part searched yet."
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
          isFiltered
            ? "Nothing matches this filter. Try “All” or another search."
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
        <MessageTable messages={messages} />
        <div className="list-footer">
          <span className="muted small" data-testid="messages-shown">
            {messages.length} {messages.length === 1 ? "message" : "messages"} shown
          </span>
          {query.hasNextPage && (
            <Button
              size="sm"
              onClick={() => query.fetchNextPage()}
              isPending={query.isFetchingNextPage}
              data-testid="load-more"
            >
              Load more
            </Button>
          )}
        </div>
      </>
    );
  }

  return (
    <section className="card" data-testid="message-browser">
      <div className="card-header card-header-padded">
        <div>
          <h2 className="card-title">Messages</h2>
          <p className="muted small">A read-only peek: browsing never receives or changes a message.</p>
        </div>
      </div>
      <div className="card-toolbar">
        <fieldset className="segmented">
          <legend className="visually-hidden">Message state</legend>
          {stateFilters.map((filter) => (
            <label key={filter.value} className="segmented-option" data-testid={`state-filter-${filter.value}`}>
              <input
                type="radio"
                name="message-state"
                className="visually-hidden"
                value={filter.value}
                checked={state === filter.value}
                onChange={() => setState(filter.value)}
              />
              {filter.label}
            </label>
          ))}
        </fieldset>
        <input
          type="search"
          className="input input-search"
          placeholder="Search message bodies"
          aria-label="Search message bodies"
          maxLength={200}
          value={searchInput}
          onChange={(e) => setSearchInput(e.target.value)}
          data-testid="message-search"
        />
      </div>
      {content}
    </section>
  );
}
