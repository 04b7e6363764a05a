import { topicLimits } from "@/lib/schemas/topic";
import { formatNumber } from "./format";

// Tags, routing keys and binding keys as the topic forms take them (a comma-separated field), checked
// against the limits of lib/schemas/topic.ts: ≤ 5 items, a tag ≤ 16 characters, a key ≤ 64 bytes and
// ≤ 15 dots (16 words), '*' and '#' in a binding key only as whole words.

const utf8Bytes = (s: string) => new TextEncoder().encode(s).length;

/** "a, b ,, c" → ["a", "b", "c"] (duplicates kept once, first place). */
export function parseList(raw: string): string[] {
  const items = raw
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
  return [...new Set(items)];
}

type Checked = { ok: true; items: string[] } | { ok: false; error: string };

/** Message tags or a subscription's filter tags. */
export function checkTags(raw: string): Checked {
  const items = parseList(raw);
  if (items.length > topicLimits.tagsPerItem) return { ok: false, error: `At most ${topicLimits.tagsPerItem} tags.` };
  const long = items.find((tag) => tag.length > topicLimits.tagLength);
  if (long !== undefined) {
    return {
      ok: false,
      error: `Each tag has at most ${topicLimits.tagLength} characters (“${long}” has ${long.length}).`,
    };
  }
  return { ok: true, items };
}

/** Why a routing key (as published) or binding key (`isBinding`) is not acceptable, or undefined. */
export function keyProblem(key: string, isBinding: boolean): string | undefined {
  const bytes = utf8Bytes(key);
  if (bytes > topicLimits.routingKeyBytes) {
    return `“${key}” is ${formatNumber(bytes)} bytes; a key has at most ${topicLimits.routingKeyBytes}.`;
  }
  const dots = key.split(".").length - 1;
  if (dots > topicLimits.routingKeyDots) {
    return `“${key}” has ${dots} dots; a key has at most ${topicLimits.routingKeyDots} (16 words).`;
  }
  if (/\s/.test(key)) return `“${key}” contains a blank; words are separated by dots.`;
  if (isBinding && key.split(".").some((word) => word.length > 1 && /[*#]/.test(word))) {
    return `In “${key}”, '*' and '#' must stand alone as a word (a.*.c, a.#).`;
  }
  return undefined;
}

/** A subscription's binding keys: 1–5 of them. */
export function checkBindingKeys(raw: string): Checked {
  const items = parseList(raw);
  if (items.length === 0) return { ok: false, error: "Enter at least one binding key ('#' receives every message)." };
  if (items.length > topicLimits.tagsPerItem) {
    return { ok: false, error: `At most ${topicLimits.tagsPerItem} binding keys.` };
  }
  for (const key of items) {
    const problem = keyProblem(key, true);
    if (problem) return { ok: false, error: problem };
  }
  return { ok: true, items };
}

/** The routing key of a publish (or of a routing test): one key, no wildcards meant; empty is allowed. */
export function checkRoutingKey(raw: string): { ok: true; key: string } | { ok: false; error: string } {
  const key = raw.trim();
  const problem = key ? keyProblem(key, false) : undefined;
  return problem ? { ok: false, error: problem } : { ok: true, key };
}
