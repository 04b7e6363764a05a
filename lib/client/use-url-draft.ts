"use client";

import { useEffect, useRef, useState } from "react";
import { UrlExpectations } from "./url-expectations";

// What a filter's fields show while the user edits it: a draft of the filter in the URL. A navigation
// reaches the page a round trip after the console asks for it, and the user types on meanwhile; so
// the URL's value replaces the draft only when the URL changed by itself (Back, Forward, a link,
// another control), never when it arrives at a value the draft asked for (lib/client/url-expectations.ts).

export type UrlDraft<U, D> = {
  draft: D;
  setDraft: (update: D | ((draft: D) => D)) => void;
  /** Call before navigating to `value`; false when the URL holds it already (nothing to navigate to). */
  expectUrl: (value: U) => boolean;
};

/** `keyOf` names the part of the URL the draft mirrors; `draftOf` turns the URL's value into fields. */
export function useUrlDraft<U, D>(urlValue: U, keyOf: (value: U) => string, draftOf: (value: U) => D): UrlDraft<U, D> {
  const [draft, setDraft] = useState(() => draftOf(urlValue));
  const urlKey = keyOf(urlValue);
  const expectations = useRef<UrlExpectations | null>(null);
  expectations.current ??= new UrlExpectations(urlKey);

  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new URL value matters
  useEffect(() => {
    if (expectations.current?.arrive(urlKey) === "external") setDraft(draftOf(urlValue));
  }, [urlKey]);

  return {
    draft,
    setDraft,
    expectUrl: (value) => expectations.current?.request(keyOf(value)) ?? true,
  };
}
