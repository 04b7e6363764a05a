"use client";

import { type FormEvent, useRef, useState } from "react";
import { Button } from "@/components/ui/Button";
import { DateTimeInput } from "@/components/ui/DateTimeInput";
import {
  type BrowserFilter,
  emptyBrowserFilter,
  hasNarrowing,
  isoOfLocalInput,
  localInputOfIso,
} from "@/lib/client/message-browser-filter";
import { useUrlDraft } from "@/lib/client/use-url-draft";

type FilterDraft = Omit<BrowserFilter, "state">;

/** The part of the filter the bar edits (the state tabs are separate), as its fields show it. */
const draftOf = (filter: BrowserFilter): FilterDraft => ({
  search: filter.search,
  tag: filter.tag,
  id: filter.id,
  enqueuedFrom: localInputOfIso(filter.enqueuedFrom),
  enqueuedBefore: localInputOfIso(filter.enqueuedBefore),
});

const keyOf = (filter: BrowserFilter) =>
  JSON.stringify([filter.search, filter.tag, filter.id, filter.enqueuedFrom, filter.enqueuedBefore]);

/**
 * Search by body, tag, id and enqueue time; applied on submit (Enter or Apply), so each applied filter
 * is one step in the browser's history. The fields follow the URL when it changes by itself (Back,
 * a link); what the user typed after submitting stays while the submitted filter reaches the URL.
 */
export function MessageFilterBar({
  filter,
  onApply,
}: {
  filter: BrowserFilter;
  onApply: (filter: BrowserFilter) => void;
}) {
  const { draft, setDraft, expectUrl } = useUrlDraft(filter, keyOf, draftOf);
  const searchField = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string | null>(null);
  const set = (key: keyof FilterDraft, value: string) => {
    setDraft((d) => ({ ...d, [key]: value }));
    setError(null);
  };
  const apply = (next: BrowserFilter) => {
    if (expectUrl(next)) onApply(next);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next: BrowserFilter = {
      state: filter.state,
      search: draft.search.trim(),
      tag: draft.tag.trim(),
      id: draft.id.trim(),
      enqueuedFrom: isoOfLocalInput(draft.enqueuedFrom),
      enqueuedBefore: isoOfLocalInput(draft.enqueuedBefore),
    };
    if (next.id && !/^\d{1,19}$/.test(next.id)) return setError("A message id is a number, as the API returns it.");
    if (next.enqueuedFrom && next.enqueuedBefore && next.enqueuedFrom >= next.enqueuedBefore) {
      return setError("“Enqueued from” must be before “Enqueued before”.");
    }
    apply(next);
  };
  const clear = () => {
    const next = { ...emptyBrowserFilter, state: filter.state };
    setDraft(draftOf(next));
    setError(null);
    apply(next);
    // Clear goes away with the filter: the focus moves to the first field rather than to nowhere.
    searchField.current?.focus();
  };
  return (
    <form
      className="message-filters"
      onSubmit={submit}
      noValidate
      aria-label="Filter messages"
      data-testid="message-filters"
    >
      <label className="filter">
        <span className="filter-label">Body contains</span>
        <input
          ref={searchField}
          type="search"
          className="input"
          maxLength={200}
          value={draft.search}
          onChange={(e) => set("search", e.target.value)}
          placeholder="order-42"
          data-testid="message-search"
        />
      </label>
      <label className="filter">
        <span className="filter-label">Tag</span>
        <input
          className="input"
          maxLength={16}
          value={draft.tag}
          onChange={(e) => set("tag", e.target.value)}
          data-testid="message-tag"
        />
      </label>
      <label className="filter">
        <span className="filter-label">Message id</span>
        <input
          className="input mono"
          inputMode="numeric"
          maxLength={19}
          value={draft.id}
          onChange={(e) => set("id", e.target.value)}
          data-testid="message-id-filter"
        />
      </label>
      <label className="filter">
        <span className="filter-label">Enqueued from</span>
        <DateTimeInput
          value={draft.enqueuedFrom}
          onChange={(e) => set("enqueuedFrom", e.target.value)}
          data-testid="message-from"
        />
      </label>
      <label className="filter">
        <span className="filter-label">Enqueued before</span>
        <DateTimeInput
          value={draft.enqueuedBefore}
          onChange={(e) => set("enqueuedBefore", e.target.value)}
          data-testid="message-before"
        />
      </label>
      <div className="filter-actions">
        <Button type="submit" variant="primary" size="sm" data-testid="apply-filters">
          Apply
        </Button>
        {hasNarrowing(filter) && (
          <Button size="sm" onClick={clear} data-testid="clear-filters">
            Clear
          </Button>
        )}
      </div>
      {error && (
        <p className="form-error message-filters-error" role="alert" data-testid="filter-error">
          {error}
        </p>
      )}
    </form>
  );
}
