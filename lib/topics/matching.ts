// Which subscriptions a published message reaches (reference/cmq-api.md §4, "Matching rules").
// Pure functions, no I/O: the publish path, the routing tester and their tests share them.
//
// Tags (filter type "tag"): a subscription without filter tags receives every message; one with
// filter tags receives a message whose tags intersect them, so a message without tags never reaches
// a filtering subscription. Tags compare exactly (case-sensitive), as CMQ's do.
//
// Routing keys (filter type "routing"): '.'-separated words. In a binding key the word `*` stands for
// exactly one word and `#` for ZERO or more words: RabbitMQ's topic exchange, which CMQ's docs cite.
// CMQ's docs say "one or more" but give no example that tells the readings apart (matching.test.ts
// runs the docs' examples under both); zero-or-more also lets `a.#` receive `a` itself, as RabbitMQ
// users expect. An empty routing key is zero words (the Go SDK always sends `routingKey=`).
//
// Cost: keys are at most 16 words (15 dots), so a match is a table of at most 17 × 17 cells, walked
// once — no regular expression is ever built from a key, and no input can make it backtrack.

import type { TopicFilterType } from "@/lib/schemas/topic";

export type HashReading = "zeroOrMore" | "oneOrMore";

/** A key's words; the empty key has none. */
export const wordsOf = (key: string): string[] => (key === "" ? [] : key.split("."));

/** Whether the message's tags reach a subscription with these filter tags. */
export function matchTags(filterTags: readonly string[], messageTags: readonly string[]): boolean {
  return filterTags.length === 0 || firstSharedTag(filterTags, messageTags) !== null;
}

function firstSharedTag(filterTags: readonly string[], messageTags: readonly string[]): string | null {
  const wanted = new Set(messageTags);
  return filterTags.find((t) => wanted.has(t)) ?? null;
}

/**
 * Whether a binding key's words match a routing key's words. `reading` chooses what `#` means; the
 * service always uses zeroOrMore (the other exists so the tests can show where the readings differ).
 *
 * A table over (binding position i, routing position j): reach[j] says the first i binding words can
 * consume exactly the first j routing words. Each binding word advances the row in O(routing words).
 */
export function matchBindingWords(
  binding: readonly string[],
  routing: readonly string[],
  reading: HashReading = "zeroOrMore",
): boolean {
  const n = routing.length;
  if (!binding.includes("#")) {
    // Without '#', words pair one to one: a single pass.
    if (binding.length !== n) return false;
    for (let i = 0; i < n; i++) if (binding[i] !== "*" && binding[i] !== routing[i]) return false;
    return true;
  }
  // Two rows, swapped per binding word; scratch rows are reused (keys are ≤ 16 words).
  let reach = n < scratchSize ? scratch[0].fill(0, 0, n + 1) : new Uint8Array(n + 1);
  let next = n < scratchSize ? scratch[1] : new Uint8Array(n + 1);
  reach[0] = 1;
  for (const word of binding) {
    if (word === "#") {
      // zeroOrMore: next[j] = some reach[k] with k <= j; oneOrMore: with k < j. A running "or".
      let seen = 0;
      for (let j = 0; j <= n; j++) {
        if (reading === "zeroOrMore") {
          seen |= reach[j] ?? 0;
          next[j] = seen;
        } else {
          next[j] = seen;
          seen |= reach[j] ?? 0;
        }
      }
    } else {
      next[0] = 0;
      for (let j = 1; j <= n; j++) {
        next[j] = reach[j - 1] === 1 && (word === "*" || word === routing[j - 1]) ? 1 : 0;
      }
    }
    [reach, next] = [next, reach];
  }
  return reach[n] === 1;
}

// Module-level rows for matchBindingWords (one JavaScript thread: no call can interleave with another).
const scratchSize = 64;
const scratch = [new Uint8Array(scratchSize), new Uint8Array(scratchSize)] as const;

export const matchBindingKey = (bindingKey: string, routingKey: string, reading: HashReading = "zeroOrMore") =>
  matchBindingWords(wordsOf(bindingKey), wordsOf(routingKey), reading);

export type MatchableSubscription = { filterTags: readonly string[]; bindingKeys: readonly string[] };
export type MatchableMessage = { tags: readonly string[]; routingKey: string | null };

export type MatchExplanation = {
  matched: boolean;
  /** A sentence for the routing tester. */
  reason: string;
  /** The filter tag or binding key that decided, if one did. */
  matchedBy: string | null;
};

/** Whether and why a message reaches a subscription of a topic with this filter type. */
export function explainMatch(
  filterType: TopicFilterType,
  subscription: MatchableSubscription,
  message: MatchableMessage,
): MatchExplanation {
  if (filterType === "tag") {
    if (subscription.filterTags.length === 0) {
      return { matched: true, reason: "no filter tags: receives every message", matchedBy: null };
    }
    if (message.tags.length === 0) {
      return {
        matched: false,
        reason: "the message has no tags, and this subscription filters by tags",
        matchedBy: null,
      };
    }
    const shared = firstSharedTag(subscription.filterTags, message.tags);
    return shared === null
      ? { matched: false, reason: "no tag of the message is among the filter tags", matchedBy: null }
      : { matched: true, reason: `tag '${shared}' is in both`, matchedBy: shared };
  }
  const routingKey = message.routingKey ?? "";
  const routingWords = wordsOf(routingKey);
  if (subscription.bindingKeys.length === 0) {
    return { matched: false, reason: "no binding keys: receives nothing", matchedBy: null };
  }
  const by = subscription.bindingKeys.find((key) => matchBindingWords(wordsOf(key), routingWords));
  return by === undefined
    ? {
        matched: false,
        reason: `no binding key matches routing key '${routingKey}'`,
        matchedBy: null,
      }
    : { matched: true, reason: `binding key '${by}' matches routing key '${routingKey}'`, matchedBy: by };
}

/**
 * The subscriptions a message reaches, for the publish path: the routing key is split once, each
 * subscription costs its binding keys' tables (or a set lookup per filter tag).
 */
export function matchingSubscriptions<S extends MatchableSubscription>(
  filterType: TopicFilterType,
  subscriptions: readonly S[],
  message: MatchableMessage,
): S[] {
  if (filterType === "tag") return subscriptions.filter((s) => matchTags(s.filterTags, message.tags));
  const routingWords = wordsOf(message.routingKey ?? "");
  // Many subscriptions share keys ('#', 'order.*'): decide each distinct key once per message.
  const decided = new Map<string, boolean>();
  const matches = (key: string) => {
    let matched = decided.get(key);
    if (matched === undefined) {
      matched = matchBindingWords(wordsOf(key), routingWords);
      decided.set(key, matched);
    }
    return matched;
  };
  return subscriptions.filter((s) => s.bindingKeys.some(matches));
}

/** Why a routing or binding key is not acceptable (null: it is): ≤ 64 bytes, ≤ 15 dots, no empty word. */
export function routingKeyProblem(key: string, what: "routing key" | "binding key"): string | null {
  if (Buffer.byteLength(key, "utf8") > 64) return `a ${what} is at most 64 bytes`;
  const words = wordsOf(key);
  if (words.length > 16) return `a ${what} has at most 15 dots (16 words)`;
  if (words.some((w) => w === "")) return `a ${what} has no empty words (no leading, trailing or double dots)`;
  return null;
}
