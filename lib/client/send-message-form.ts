import { maxDelaySeconds, type SendMessageInput } from "@/lib/schemas/message";
import { formatNumber } from "./format";

// The "Send test message" form: the same limits the API enforces (lib/schemas/message.ts and the
// queue's maxMsgSize), checked before sending.

export const maxTags = 5;
export const maxTagLength = 16;

export type SendMessageFormValues = { body: string; delaySeconds: string; tags: string };
export type SendMessageFormErrors = Partial<Record<keyof SendMessageFormValues | "form", string>>;

export const emptySendMessageForm: SendMessageFormValues = { body: "", delaySeconds: "0", tags: "" };

/** "a, b ,, c" → ["a", "b", "c"] */
export const parseTags = (raw: string): string[] =>
  raw
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);

const utf8Bytes = (s: string) => new TextEncoder().encode(s).length;

type Validated = { ok: true; input: SendMessageInput } | { ok: false; errors: SendMessageFormErrors };

export function validateSendMessageForm(values: SendMessageFormValues, maxMsgSize: number): Validated {
  const errors: SendMessageFormErrors = {};
  const size = utf8Bytes(values.body);
  if (size === 0) errors.body = "Enter a message body.";
  else if (size > maxMsgSize) {
    errors.body = `The body is ${formatNumber(size)} bytes; this queue accepts at most ${formatNumber(maxMsgSize)}.`;
  }
  const rawDelay = values.delaySeconds.trim();
  const delay = rawDelay === "" ? 0 : Number(rawDelay);
  if (!/^\d*$/.test(rawDelay) || delay > maxDelaySeconds) {
    errors.delaySeconds = `Enter whole seconds from 0 to ${formatNumber(maxDelaySeconds)}.`;
  }
  const tags = parseTags(values.tags);
  if (tags.length > maxTags) errors.tags = `At most ${maxTags} tags.`;
  else if (tags.some((t) => t.length > maxTagLength)) errors.tags = `Each tag has at most ${maxTagLength} characters.`;
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    input: { body: values.body, ...(delay > 0 ? { delaySeconds: delay } : {}), ...(tags.length ? { tags } : {}) },
  };
}
