"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useMemo } from "react";
import { useDebouncedValue } from "./use-debounced-value";
import { useUrlDraft } from "./use-url-draft";

// A page's filters live in its query string, so a filtered view can be shared, bookmarked, reloaded
// and returned to with Back. What the user types applies after a pause (the URL is replaced, not
// pushed: typing does not fill the history); `apply` writes at once (paging, clearing).

export type UrlFilter<T extends Record<string, string>> = {
  /** What the inputs show (ahead of the URL while the user types). */
  input: T;
  /** What the page shows: the URL's values. */
  applied: T;
  /** Changes the inputs; the URL follows after a pause. */
  setInput: (values: T) => void;
  /** Changes the inputs and the URL now. */
  apply: (values: T) => void;
};

/** Each key of `defaults` as a query parameter; a value equal to its default is left out of the URL. */
export function useUrlFilter<T extends Record<string, string>>(defaults: T, delayMs = 300): UrlFilter<T> {
  const searchParams = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const current = searchParams.toString();
  // biome-ignore lint/correctness/useExhaustiveDependencies: the query string is the whole input
  const applied = useMemo(() => readFilter(new URLSearchParams(current), defaults), [current]);
  // The inputs run ahead of the URL while it catches up; they follow it when it changes by itself
  // (Back, Forward, a link). Keyed by the filter's own parameters, as they would be written.
  const keyOf = (values: T) => writeFilter(new URLSearchParams(), values, defaults).toString();
  const { draft: input, setDraft: setInputState, expectUrl } = useUrlDraft(applied, keyOf, (values) => values);

  const write = (values: T) => {
    if (!expectUrl(values)) return;
    const next = writeFilter(new URLSearchParams(current), values, defaults).toString();
    router.replace(next ? `${pathname}?${next}` : pathname, { scroll: false });
  };

  const settled = useDebouncedValue(input, delayMs);
  // biome-ignore lint/correctness/useExhaustiveDependencies: write when the typing settles, not on each render
  useEffect(() => write(settled), [settled]);

  return {
    input,
    applied,
    setInput: setInputState,
    apply: (values) => {
      setInputState(values);
      write(values);
    },
  };
}

/** The filter in `params`, defaults for what is missing. */
export function readFilter<T extends Record<string, string>>(params: URLSearchParams, defaults: T): T {
  const values: Record<string, string> = {};
  for (const key of Object.keys(defaults)) values[key] = params.get(key) ?? defaults[key] ?? "";
  return values as T;
}

/** `params` with the filter's keys set from `values` (trimmed; a default or empty value removed); other keys kept. */
export function writeFilter<T extends Record<string, string>>(params: URLSearchParams, values: T, defaults: T) {
  const next = new URLSearchParams(params);
  for (const [key, value] of Object.entries(values)) {
    const trimmed = value.trim();
    if (trimmed === "" || trimmed === defaults[key]) next.delete(key);
    else next.set(key, trimmed);
  }
  return next;
}
