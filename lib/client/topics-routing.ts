import type { RouteTestInput, RouteTestResult } from "@/lib/schemas/topic";

// The routing tester's table: one row per subscription, the ones that would receive the message
// first (each group in the server's order), with a verdict, the reason as a sentence and the filter
// tag or binding key that decided.

export type RouteTestRow = {
  subscription: string;
  /** "queue orders-eu" or the URL */
  target: string;
  protocol: "queue" | "http";
  isMatched: boolean;
  verdict: "Yes" | "No";
  tone: "green" | "neutral";
  /** The server's reason, starting with a capital letter. */
  reason: string;
  matchedBy: string | null;
};

const sentence = (text: string) => (text ? `${text.charAt(0).toUpperCase()}${text.slice(1)}` : text);

export function routeTestRows(result: RouteTestResult): RouteTestRow[] {
  const rows = result.matches.map(
    (match): RouteTestRow => ({
      subscription: match.subscription,
      target: match.protocol === "queue" ? `queue ${match.endpoint}` : match.endpoint,
      protocol: match.protocol,
      isMatched: match.matched,
      verdict: match.matched ? "Yes" : "No",
      tone: match.matched ? "green" : "neutral",
      reason: sentence(match.reason),
      matchedBy: match.matchedBy,
    }),
  );
  return [...rows.filter((row) => row.isMatched), ...rows.filter((row) => !row.isMatched)];
}

/** The line above the table: what a publish with this input would do. */
export function routeTestSummary(rows: RouteTestRow[], input: RouteTestInput): string {
  const what =
    input.routingKey !== undefined
      ? `routing key “${input.routingKey}”`
      : input.tags && input.tags.length > 0
        ? `${input.tags.length === 1 ? "tag" : "tags"} ${input.tags.map((t) => `“${t}”`).join(", ")}`
        : "no tags and no routing key";
  if (rows.length === 0) return `This topic has no subscriptions: a message with ${what} would reach nobody.`;
  const matched = rows.filter((row) => row.isMatched).length;
  if (matched === 0) {
    return `No subscription would receive a message with ${what}: a publish would be refused as delivered nowhere.`;
  }
  const of = `${matched} of ${rows.length} ${rows.length === 1 ? "subscription" : "subscriptions"}`;
  return `${of} would receive a message with ${what}.`;
}
