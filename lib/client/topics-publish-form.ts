import type { PublishInput, RouteTestInput, Topic, TopicFilterType } from "@/lib/schemas/topic";
import { topicLimits } from "@/lib/schemas/topic";
import { formatNumber } from "./format";
import { checkRoutingKey, checkTags } from "./topics-filter";

// The publish form and the routing tester's form: a body (or one message per line), then the tags or
// the routing key the topic's filter type uses — checked as the API will (lib/schemas/topic.ts and
// the topic's maxMsgSize) before anything is sent.

export type PublishMode = "one" | "lines";
export type PublishFormValues = { body: string; mode: PublishMode; tags: string; routingKey: string };
export type PublishFormErrors = Partial<Record<keyof PublishFormValues | "form", string>>;

export const emptyPublishForm: PublishFormValues = { body: "", mode: "one", tags: "", routingKey: "" };

const utf8Bytes = (s: string) => new TextEncoder().encode(s).length;

/** The bodies the form would publish: the whole text, or each non-blank line. */
export function bodiesOf(values: Pick<PublishFormValues, "body" | "mode">): string[] {
  if (values.mode === "one") return values.body === "" ? [] : [values.body];
  return values.body.split(/\r?\n/).filter((line) => line.trim() !== "");
}

type FilterFields = Pick<PublishFormValues, "tags" | "routingKey">;
type Filter = { tags?: string[]; routingKey?: string };

/** The filter part of a publish or a routing test: tags on a tag topic, the routing key on a routing one. */
function checkFilter(
  values: FilterFields,
  filterType: TopicFilterType,
): { ok: true; filter: Filter } | { ok: false; errors: PublishFormErrors } {
  if (filterType === "tag") {
    const tags = checkTags(values.tags);
    if (!tags.ok) return { ok: false, errors: { tags: tags.error } };
    return { ok: true, filter: tags.items.length > 0 ? { tags: tags.items } : {} };
  }
  const key = checkRoutingKey(values.routingKey);
  if (!key.ok) return { ok: false, errors: { routingKey: key.error } };
  return { ok: true, filter: key.key ? { routingKey: key.key } : {} };
}

type ValidatedPublish = { ok: true; input: PublishInput } | { ok: false; errors: PublishFormErrors };

export function validatePublishForm(
  values: PublishFormValues,
  topic: Pick<Topic, "filterType" | "maxMsgSize">,
): ValidatedPublish {
  const errors: PublishFormErrors = {};
  const bodies = bodiesOf(values);
  if (bodies.length === 0) {
    errors.body = values.mode === "one" ? "Enter a message body." : "Enter at least one line.";
  } else if (bodies.length > topicLimits.batch) {
    errors.body = `At most ${topicLimits.batch} messages at once; there are ${bodies.length} lines.`;
  } else {
    const index = bodies.findIndex((body) => utf8Bytes(body) > topic.maxMsgSize);
    const tooLarge = bodies[index];
    if (tooLarge !== undefined) {
      const which = values.mode === "one" ? "The body" : `Line ${index + 1}`;
      errors.body = `${which} is ${formatNumber(utf8Bytes(tooLarge))} bytes; this topic accepts at most ${formatNumber(topic.maxMsgSize)}.`;
    }
  }
  const filter = checkFilter(values, topic.filterType);
  if (!filter.ok) Object.assign(errors, filter.errors);
  if (!filter.ok || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, input: { messages: bodies.map((body) => ({ body })), ...filter.filter } };
}

type ValidatedRouteTest = { ok: true; input: RouteTestInput } | { ok: false; errors: PublishFormErrors };

export function validateRouteTestForm(values: FilterFields, filterType: TopicFilterType): ValidatedRouteTest {
  const filter = checkFilter(values, filterType);
  return filter.ok ? { ok: true, input: filter.filter } : filter;
}
