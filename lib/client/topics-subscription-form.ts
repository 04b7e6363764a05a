import { queueNamePattern } from "@/lib/schemas/queue";
import {
  type CreateSubscriptionInput,
  type notifyContentFormats,
  type notifyStrategies,
  type Subscription,
  type subscriptionProtocols,
  type TopicFilterType,
  topicLimits,
  type UpdateSubscriptionInput,
} from "@/lib/schemas/topic";
import { checkBindingKeys, checkTags } from "./topics-filter";
import { nameProblem } from "./topics-form";

// The subscription dialog (create and edit): which fields apply to which protocol and filter type,
// client-side checks mirroring lib/schemas/topic.ts, and the PATCH body of an edit (changed fields only).

export type Protocol = (typeof subscriptionProtocols)[number];
export type NotifyStrategy = (typeof notifyStrategies)[number];
export type NotifyContentFormat = (typeof notifyContentFormats)[number];

export const protocolInfo: Record<Protocol, { label: string; endpointLabel: string; endpointHint: string }> = {
  queue: {
    label: "Queue",
    endpointLabel: "Queue",
    endpointHint: "A queue of this account; each matching message is sent to it in the publish's own transaction.",
  },
  http: {
    label: "HTTP endpoint",
    endpointLabel: "URL",
    endpointHint: `An http:// or https:// URL (at most ${topicLimits.httpEndpointLength} characters) that receives a POST per message, signed with the subscription's secret.`,
  },
};

export const strategyInfo: Record<NotifyStrategy, string> = {
  BACKOFF_RETRY: "Backoff retry: a few retries at a fixed interval, then the message is dropped",
  EXPONENTIAL_DECAY_RETRY: "Exponential decay: intervals doubling up to 512 s, for up to a day",
};

export const formatInfo: Record<NotifyContentFormat, string> = {
  JSON: "JSON: the body wrapped with topic, subscription, message id and publish time",
  SIMPLIFIED: "Simplified: the message body as it was published",
};

export type SubscriptionFormValues = {
  name: string;
  protocol: Protocol;
  endpoint: string;
  notifyStrategy: NotifyStrategy;
  notifyContentFormat: NotifyContentFormat;
  /** comma-separated */
  filterTags: string;
  /** comma-separated */
  bindingKeys: string;
};
export type SubscriptionFormErrors = Partial<Record<keyof SubscriptionFormValues | "form", string>>;
export const subscriptionFormFields = [
  "name",
  "protocol",
  "endpoint",
  "notifyStrategy",
  "notifyContentFormat",
  "filterTags",
  "bindingKeys",
] as const;

export const emptySubscriptionForm = (): SubscriptionFormValues => ({
  name: "",
  protocol: "queue",
  endpoint: "",
  notifyStrategy: "EXPONENTIAL_DECAY_RETRY",
  notifyContentFormat: "SIMPLIFIED",
  filterTags: "",
  bindingKeys: "",
});

export const subscriptionFormFrom = (subscription: Subscription): SubscriptionFormValues => ({
  name: subscription.name,
  protocol: subscription.protocol,
  endpoint: subscription.endpoint,
  notifyStrategy: subscription.notifyStrategy,
  notifyContentFormat: subscription.notifyContentFormat,
  filterTags: subscription.filterTags.join(", "),
  bindingKeys: subscription.bindingKeys.join(", "),
});

/** A protocol change also sets the format: a queue only takes SIMPLIFIED, HTTP defaults to JSON (as CMQ). */
export function withProtocol(values: SubscriptionFormValues, protocol: Protocol): SubscriptionFormValues {
  return { ...values, protocol, notifyContentFormat: protocol === "queue" ? "SIMPLIFIED" : "JSON" };
}

function endpointProblem(protocol: Protocol, raw: string): string | undefined {
  const endpoint = raw.trim();
  if (protocol === "queue") {
    if (!endpoint) return "Choose a queue.";
    return queueNamePattern.test(endpoint) ? undefined : "Not a queue name: letters, digits, '-' and '_'.";
  }
  if (!endpoint) return "Enter the URL that receives the messages.";
  if (endpoint.length > topicLimits.httpEndpointLength) {
    return `At most ${topicLimits.httpEndpointLength} characters.`;
  }
  if (/\s/.test(endpoint)) return "A URL has no blanks.";
  try {
    const url = new URL(endpoint);
    if ((url.protocol === "http:" || url.protocol === "https:") && url.hostname) return undefined;
  } catch {
    // falls through
  }
  return "Enter a URL starting with http:// or https://.";
}

type Validated = { ok: true; input: CreateSubscriptionInput } | { ok: false; errors: SubscriptionFormErrors };

/** The whole form as the create request (an edit takes its changed fields: `changedSubscription`). */
export function validateSubscriptionForm(values: SubscriptionFormValues, filterType: TopicFilterType): Validated {
  const errors: SubscriptionFormErrors = {};
  const name = nameProblem(values.name, "subscription");
  if (name) errors.name = name;
  const endpoint = endpointProblem(values.protocol, values.endpoint);
  if (endpoint) errors.endpoint = endpoint;
  let filter: Pick<CreateSubscriptionInput, "filterTags" | "bindingKeys"> = {};
  if (filterType === "tag") {
    const tags = checkTags(values.filterTags);
    if (tags.ok) filter = { filterTags: tags.items };
    else errors.filterTags = tags.error;
  } else {
    const keys = checkBindingKeys(values.bindingKeys);
    if (keys.ok) filter = { bindingKeys: keys.items };
    else errors.bindingKeys = keys.error;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    input: {
      name: values.name.trim(),
      protocol: values.protocol,
      endpoint: values.endpoint.trim(),
      notifyStrategy: values.notifyStrategy,
      notifyContentFormat: values.protocol === "queue" ? "SIMPLIFIED" : values.notifyContentFormat,
      ...filter,
    },
  };
}

const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((item, i) => item === b[i]);

/** What an edit changes (protocol, endpoint and name are fixed): the body of the PATCH. */
export function changedSubscription(
  subscription: Subscription,
  input: CreateSubscriptionInput,
): UpdateSubscriptionInput {
  const changes: UpdateSubscriptionInput = {};
  if (input.notifyStrategy && input.notifyStrategy !== subscription.notifyStrategy) {
    changes.notifyStrategy = input.notifyStrategy;
  }
  if (
    subscription.protocol === "http" &&
    input.notifyContentFormat &&
    input.notifyContentFormat !== subscription.notifyContentFormat
  ) {
    changes.notifyContentFormat = input.notifyContentFormat;
  }
  if (input.filterTags && !sameList(input.filterTags, subscription.filterTags)) changes.filterTags = input.filterTags;
  if (input.bindingKeys && !sameList(input.bindingKeys, subscription.bindingKeys)) {
    changes.bindingKeys = input.bindingKeys;
  }
  return changes;
}

/** How the list shows a subscription's filter. */
export function describeFilter(
  subscription: Pick<Subscription, "filterTags" | "bindingKeys">,
  filterType: TopicFilterType,
) {
  if (filterType === "tag") {
    return subscription.filterTags.length === 0
      ? { items: [] as string[], note: "no filter tags: every message" }
      : { items: subscription.filterTags, note: "any of these tags" };
  }
  return subscription.bindingKeys.length === 0
    ? { items: [] as string[], note: "no binding key: nothing matches" }
    : { items: subscription.bindingKeys, note: "any of these binding keys" };
}
