import type { notifyContentFormats } from "@/lib/schemas/topic";
import { signatureHeader, signPush } from "./signature";

// What one push sends: CMQ's headers and body (reference/cmq-api.md §4, "Delivery to http endpoint"),
// plus this installation's signature header when the subscription has a push secret.
//
//   JSON        {"TopicOwner", "topicName", "subscriptionName", "msgId", "msgBody", "publishTime"}
//               TopicOwner is the account's id (CMQ: the owner's APPID); publishTime unix seconds.
//   SIMPLIFIED  the message body as published; the ids travel in the headers only.

export type PushPayloadInput = {
  accountId: string;
  topicName: string;
  subscriptionName: string;
  messageId: string;
  body: string;
  tags: string[];
  publishedAt: Date;
  format: (typeof notifyContentFormats)[number];
  /** x-cmq-request-id: unique per attempt */
  requestId: string;
  /** the subscription's push secret, opened; null: no signature header */
  secret: string | null;
  nowSeconds: number;
};

export const pushUserAgent = "Qcloud Notification Service Agent";

/**
 * A header value must be visible ASCII: a tag with other characters (CMQ allows any text) is
 * percent-encoded, as encodeURIComponent does; plain tags arrive as they were published.
 */
function headerSafe(text: string): string {
  return /^[\x20-\x7e]*$/.test(text) ? text : encodeURIComponent(text);
}

export function buildPushPayload(input: PushPayloadInput): { body: string; headers: Record<string, string> } {
  const body =
    input.format === "SIMPLIFIED"
      ? input.body
      : JSON.stringify({
          TopicOwner: input.accountId,
          topicName: input.topicName,
          subscriptionName: input.subscriptionName,
          msgId: input.messageId,
          msgBody: input.body,
          publishTime: Math.floor(input.publishedAt.getTime() / 1000),
        });
  const headers: Record<string, string> = {
    "content-type": "text/plain",
    "user-agent": pushUserAgent,
    "x-cmq-request-id": input.requestId,
    "x-cmq-message-id": input.messageId,
    "x-cmq-message-tag": input.tags.map(headerSafe).join(","),
  };
  if (input.secret !== null) headers[signatureHeader] = signPush(input.secret, body, input.nowSeconds);
  return { body, headers };
}
