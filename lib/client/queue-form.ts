import {
  type CreateQueueInput,
  type Queue,
  queueLimits,
  queueNamePattern,
  type UpdateQueueInput,
} from "@/lib/schemas/queue";
import { formatBytesReadable, formatDuration, formatNumber } from "./format";

// The queue attribute form, shared by "create" and "edit": which fields, how their ranges read, and
// client-side validation that mirrors the API's (lib/schemas/queue.ts) so most mistakes never leave
// the browser. The server stays the judge; its errors are mapped back onto fields by serverFieldErrors.

export type AttributeKey = keyof typeof queueLimits;
type Unit = "seconds" | "bytes" | "messages";

export const attributeFields: { key: AttributeKey; label: string; unit: Unit; help: string }[] = [
  {
    key: "visibilityTimeout",
    label: "Visibility timeout",
    unit: "seconds",
    help: "How long a received message stays hidden from other consumers.",
  },
  {
    key: "pollingWaitSeconds",
    label: "Long-polling wait",
    unit: "seconds",
    help: "How long a receive waits for a message when the queue is empty.",
  },
  { key: "maxMsgSize", label: "Max message size", unit: "bytes", help: "Largest message body accepted." },
  {
    key: "msgRetentionSeconds",
    label: "Message retention",
    unit: "seconds",
    help: "How long an unconsumed message is kept.",
  },
  {
    key: "maxMsgHeapNum",
    label: "Max messages",
    unit: "messages",
    help: "Most messages the queue may hold at once.",
  },
  {
    key: "rewindSeconds",
    label: "Rewind window",
    unit: "seconds",
    help: "How long consumed messages stay rewindable (0 turns rewind off); at most the retention.",
  },
];

const unitSuffix: Record<Unit, string> = { seconds: "s", bytes: "bytes", messages: "messages" };

/** A value with its unit and, where it helps, a human reading: "345,600 s (4 d)". */
export function describeValue(key: AttributeKey, value: number): string {
  const field = attributeFields.find((f) => f.key === key);
  const unit = field?.unit ?? "messages";
  const base = `${formatNumber(value)} ${unitSuffix[unit]}`;
  if (unit === "seconds" && value >= 60) return `${base} (${formatDuration(value)})`;
  if (unit === "bytes" && value >= 1024) return `${base} (${formatBytesReadable(value)})`;
  return base;
}

/** "Range 1–43,200 s · default 30 s" */
export function describeRange(key: AttributeKey): string {
  const { min, max, default: fallback } = queueLimits[key];
  const unit = unitSuffix[attributeFields.find((f) => f.key === key)?.unit ?? "messages"];
  return `Range ${formatNumber(min)}–${formatNumber(max)} ${unit} · default ${describeValue(key, fallback)}`;
}

export type QueueFormValues = { name: string } & Record<AttributeKey, string>;
export type QueueFormField = keyof QueueFormValues;
export type QueueFormErrors = Partial<Record<QueueFormField | "form", string>>;

export function defaultFormValues(): QueueFormValues {
  return {
    name: "",
    visibilityTimeout: String(queueLimits.visibilityTimeout.default),
    pollingWaitSeconds: String(queueLimits.pollingWaitSeconds.default),
    maxMsgSize: String(queueLimits.maxMsgSize.default),
    msgRetentionSeconds: String(queueLimits.msgRetentionSeconds.default),
    maxMsgHeapNum: String(queueLimits.maxMsgHeapNum.default),
    rewindSeconds: String(queueLimits.rewindSeconds.default),
  };
}

export function formValuesFromQueue(queue: Queue): QueueFormValues {
  return {
    name: queue.name,
    visibilityTimeout: String(queue.visibilityTimeout),
    pollingWaitSeconds: String(queue.pollingWaitSeconds),
    maxMsgSize: String(queue.maxMsgSize),
    msgRetentionSeconds: String(queue.msgRetentionSeconds),
    maxMsgHeapNum: String(queue.maxMsgHeapNum),
    rewindSeconds: String(queue.rewindSeconds),
  };
}

type Validated = { ok: true; input: CreateQueueInput } | { ok: false; errors: QueueFormErrors };

/** Checks every field; on success returns the API input (name + all six attributes). */
export function validateQueueForm(values: QueueFormValues): Validated {
  const errors: QueueFormErrors = {};
  const name = values.name.trim();
  if (!name) errors.name = "Enter a queue name.";
  else if (!queueNamePattern.test(name)) {
    errors.name = "Start with a letter; use only letters, digits, '-' and '_' (at most 64 characters).";
  }
  const attributes: Partial<Record<AttributeKey, number>> = {};
  for (const { key } of attributeFields) {
    const { min, max } = queueLimits[key];
    const raw = values[key].trim().replaceAll(",", "");
    const n = Number(raw);
    if (raw === "" || !/^-?\d+$/.test(raw)) errors[key] = "Enter a whole number.";
    else if (n < min || n > max) errors[key] = `Must be between ${formatNumber(min)} and ${formatNumber(max)}.`;
    else attributes[key] = n;
  }
  const { rewindSeconds, msgRetentionSeconds } = attributes;
  if (rewindSeconds !== undefined && msgRetentionSeconds !== undefined && rewindSeconds > msgRetentionSeconds) {
    errors.rewindSeconds = "Must not exceed the message retention.";
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, input: { name, ...(attributes as Record<AttributeKey, number>) } };
}

/** The attributes that differ from the queue's current ones — the body of a PATCH. */
export function changedAttributes(queue: Queue, input: CreateQueueInput): UpdateQueueInput {
  const changes: UpdateQueueInput = {};
  for (const { key } of attributeFields) {
    const value = input[key];
    if (value !== undefined && value !== queue[key]) changes[key] = value;
  }
  return changes;
}

const formFields = new Set<string>(["name", ...attributeFields.map((f) => f.key)]);

/**
 * Puts an API error next to the field it is about: QUEUE_EXISTS on the name, validation issues
 * (INVALID_INPUT's details.issues[].path, a bad name among them) on their fields, anything else on the whole form.
 */
export function serverFieldErrors(error: { code: string; message: string; details?: unknown }): QueueFormErrors {
  if (error.code === "QUEUE_EXISTS") return { name: error.message };
  const issues = (error.details as { issues?: { path?: unknown; message?: unknown }[] } | undefined)?.issues;
  const errors: QueueFormErrors = {};
  for (const issue of issues ?? []) {
    const field = String(issue.path ?? "").split(".")[0] ?? "";
    if (formFields.has(field) && typeof issue.message === "string") {
      errors[field as QueueFormField] = issue.message;
    }
  }
  if (Object.keys(errors).length > 0) return errors;
  const mentioned = attributeFields.find((f) => error.message.startsWith(`${f.key} `));
  if (mentioned) return { [mentioned.key]: error.message };
  return { form: error.message };
}
