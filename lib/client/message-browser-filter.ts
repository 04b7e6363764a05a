import type { MessageFilter, MessageFilterState } from "@/lib/schemas/message-filter";
import { messageFilterStateSchema } from "@/lib/schemas/message-filter";
import { localDateTimeToIso } from "./audit-filter";
import { formatDateTime } from "./format";
import { type TimeZoneChoice, timeZoneChoice } from "./time-zone";

// The message browser's filter as it lives in the URL's query string (shareable, bookmarkable,
// back/forward), as the peek query sends it, and as the MessageFilter bulk actions act on — one
// translation each way, so the count confirmed is the count of the messages shown.

export type BrowserFilter = {
  state: MessageFilterState;
  search: string;
  tag: string;
  id: string;
  /** ISO-8601 instants, or "" for open-ended. */
  enqueuedFrom: string;
  enqueuedBefore: string;
};

export const emptyBrowserFilter: BrowserFilter = {
  state: "all",
  search: "",
  tag: "",
  id: "",
  enqueuedFrom: "",
  enqueuedBefore: "",
};

const textKeys = ["search", "tag", "id", "enqueuedFrom", "enqueuedBefore"] as const;

/** Reads the filter from a query string; anything unreadable falls back to "no filter" for that key. */
export function filterFromSearchParams(params: URLSearchParams): BrowserFilter {
  const state = messageFilterStateSchema.safeParse(params.get("state"));
  const filter: BrowserFilter = { ...emptyBrowserFilter, state: state.success ? state.data : "all" };
  for (const key of textKeys) filter[key] = (params.get(key) ?? "").trim();
  if (filter.id && !/^\d{1,19}$/.test(filter.id)) filter.id = "";
  for (const key of ["enqueuedFrom", "enqueuedBefore"] as const) {
    if (filter[key] && Number.isNaN(Date.parse(filter[key]))) filter[key] = "";
  }
  return filter;
}

/**
 * The query string for `filter`, keeping `base`'s other parameters (e.g. the open message). Defaults
 * are left out, so the plain page has a plain URL.
 */
export function searchParamsWithFilter(base: URLSearchParams, filter: BrowserFilter): URLSearchParams {
  const params = new URLSearchParams(base);
  for (const key of ["state", ...textKeys] as const) params.delete(key);
  if (filter.state !== "all") params.set("state", filter.state);
  for (const key of textKeys) if (filter[key]) params.set(key, filter[key]);
  return params;
}

/** The peek endpoint's query parameters (empty values are dropped by apiFetch). */
export function peekQueryOf(filter: BrowserFilter): Record<string, string> {
  return {
    state: filter.state,
    search: filter.search,
    tag: filter.tag,
    id: filter.id,
    enqueuedFrom: filter.enqueuedFrom,
    enqueuedBefore: filter.enqueuedBefore,
  };
}

/** The MessageFilter a bulk action sends for what the browser shows. */
export function messageFilterOf(filter: BrowserFilter): MessageFilter {
  return {
    state: filter.state,
    ...(filter.id ? { ids: [filter.id] } : {}),
    ...(filter.search ? { search: filter.search } : {}),
    ...(filter.tag ? { tag: filter.tag } : {}),
    ...(filter.enqueuedFrom ? { enqueuedFrom: filter.enqueuedFrom } : {}),
    ...(filter.enqueuedBefore ? { enqueuedBefore: filter.enqueuedBefore } : {}),
  };
}

/** Whether anything narrows the view beyond its state tab. */
export const hasNarrowing = (filter: BrowserFilter) => textKeys.some((key) => filter[key] !== "");

/** In words, for confirmations: "dead messages whose body contains “timeout”, tagged “eu”". */
export function describeFilter(filter: BrowserFilter): string {
  const noun = stateNouns[filter.state];
  const parts: string[] = [];
  if (filter.id) parts.push(`with id ${filter.id}`);
  if (filter.search) parts.push(`whose body contains “${filter.search}”`);
  if (filter.tag) parts.push(`tagged “${filter.tag}”`);
  if (filter.enqueuedFrom) parts.push(`enqueued at or after ${filter.enqueuedFrom}`);
  if (filter.enqueuedBefore) parts.push(`enqueued before ${filter.enqueuedBefore}`);
  return parts.length > 0 ? `${noun} ${parts.join(", ")}` : noun;
}

const stateNouns: Record<MessageFilterState, string> = {
  all: "all messages",
  visible: "visible messages",
  delayed: "delayed messages",
  inFlight: "in-flight messages",
  dead: "dead messages",
  rewindable: "rewindable (deleted) messages",
};

/**
 * An ISO instant as a date field shows it: "2026-11-30 14:45:12", 24-hour, in the zone the user
 * chose for times (lib/client/time-zone.ts) — the console's one format ("" stays "").
 */
export function localInputOfIso(iso: string, zone: TimeZoneChoice = timeZoneChoice()): string {
  if (!iso || Number.isNaN(new Date(iso).getTime())) return "";
  return formatDateTime(iso, zone).slice(0, 19);
}

/** A date field's "2026-11-30 14:45[:12]" (the chosen zone) as an ISO instant; "" for anything else. */
export function isoOfLocalInput(value: string, zone: TimeZoneChoice = timeZoneChoice()): string {
  return localDateTimeToIso(value, zone);
}
