import { queueNamePattern } from "@/lib/schemas/queue";
import { type CreateTopicInput, type TopicFilterType, topicFilterTypes, topicLimits } from "@/lib/schemas/topic";
import { formatBytesReadable, formatNumber } from "./format";

// The topic forms (create; edit max message size): the API's limits (lib/schemas/topic.ts) checked
// before sending, and the API's errors put back on the field they are about.

export const filterTypeInfo: Record<TopicFilterType, { label: string; description: string }> = {
  tag: {
    label: "Tags",
    description:
      "A message carries up to 5 tags. A subscription with filter tags receives the messages that share at least one tag with it; one without filter tags receives every message.",
  },
  routing: {
    label: "Routing keys",
    description:
      "A message carries a routing key of dot-separated words (order.eu.paid). A subscription receives it when one of its binding keys matches: '*' stands for exactly one word, '#' for any number of words.",
  },
};

export const isFilterType = (value: string): value is TopicFilterType =>
  (topicFilterTypes as readonly string[]).includes(value);

export type TopicFormValues = { name: string; filterType: TopicFilterType; maxMsgSize: string };
export type TopicFormErrors = Partial<Record<keyof TopicFormValues | "form", string>>;

export const defaultTopicForm = (): TopicFormValues => ({
  name: "",
  filterType: "tag",
  maxMsgSize: String(topicLimits.maxMsgSize.default),
});

/** "65,536 bytes (64 KiB)" */
export const describeMaxMsgSize = (bytes: number) => `${formatNumber(bytes)} bytes (${formatBytesReadable(bytes)})`;

export const maxMsgSizeHint = `${formatNumber(topicLimits.maxMsgSize.min)}–${formatNumber(topicLimits.maxMsgSize.max)} bytes · default ${describeMaxMsgSize(topicLimits.maxMsgSize.default)}`;

/** The max message size field: a whole number of bytes in the topic range, or why not. */
export function parseMaxMsgSize(raw: string): { ok: true; value: number } | { ok: false; error: string } {
  const text = raw.trim().replaceAll(",", "");
  if (!/^\d+$/.test(text)) return { ok: false, error: "Enter a whole number of bytes." };
  const value = Number(text);
  const { min, max } = topicLimits.maxMsgSize;
  if (value < min || value > max) {
    return { ok: false, error: `Must be between ${formatNumber(min)} and ${formatNumber(max)} bytes.` };
  }
  return { ok: true, value };
}

/** A topic (or subscription) name: the queue naming rule. */
export function nameProblem(raw: string, noun: "topic" | "subscription"): string | undefined {
  const name = raw.trim();
  if (!name) return `Enter a ${noun} name.`;
  if (!queueNamePattern.test(name)) {
    return "Start with a letter; use only letters, digits, '-' and '_' (at most 64 characters).";
  }
  return undefined;
}

type ValidatedTopic = { ok: true; input: CreateTopicInput } | { ok: false; errors: TopicFormErrors };

export function validateTopicForm(values: TopicFormValues): ValidatedTopic {
  const errors: TopicFormErrors = {};
  const name = nameProblem(values.name, "topic");
  if (name) errors.name = name;
  if (!isFilterType(values.filterType)) errors.filterType = "Choose tags or routing keys.";
  const size = parseMaxMsgSize(values.maxMsgSize);
  if (!size.ok) errors.maxMsgSize = size.error;
  if (!size.ok || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, input: { name: values.name.trim(), filterType: values.filterType, maxMsgSize: size.value } };
}

/**
 * An API error next to its field: a name already taken on the name, validation issues
 * (INVALID_INPUT's details.issues[].path) on their fields, anything else on the whole form.
 */
export function serverFieldErrors<F extends string>(
  error: { code: string; message: string; details?: unknown },
  fields: readonly F[],
  nameField?: F,
): Partial<Record<F | "form", string>> {
  const errors: Partial<Record<F | "form", string>> = {};
  if (nameField && error.code.endsWith("_EXISTS")) {
    errors[nameField] = error.message;
    return errors;
  }
  const issues = (error.details as { issues?: { path?: unknown; message?: unknown }[] } | undefined)?.issues;
  for (const issue of issues ?? []) {
    const field = String(issue.path ?? "").split(".")[0] ?? "";
    if ((fields as readonly string[]).includes(field) && typeof issue.message === "string") {
      errors[field as F] = issue.message;
    }
  }
  if (Object.keys(errors).length === 0) errors.form = error.message;
  return errors;
}
