import * as messages from "./messages";
import * as queues from "./queues";
import { rewindQueueAction } from "./rewind";
import type { Action } from "./types";

/**
 * Supported actions, keyed by lower-case name (Action is matched case-insensitively). A Map, not an
 * object: a client-chosen name must never reach Object.prototype ("constructor", "__proto__").
 */
export const actions: ReadonlyMap<string, Action> = new Map(
  Object.entries({
    createqueue: queues.createQueueAction,
    listqueue: queues.listQueueAction,
    getqueueattributes: queues.getQueueAttributesAction,
    setqueueattributes: queues.setQueueAttributesAction,
    deletequeue: queues.deleteQueueAction,
    rewindqueue: rewindQueueAction,
    listdeadlettersourcequeues: queues.listDeadLetterSourceQueuesAction,
    unbinddeadletterqueue: queues.unbindDeadLetterQueueAction,
    sendmessage: messages.sendMessageAction,
    batchsendmessage: messages.batchSendMessageAction,
    receivemessage: messages.receiveMessageAction,
    batchreceivemessage: messages.batchReceiveMessageAction,
    deletemessage: messages.deleteMessageAction,
    batchdeletemessage: messages.batchDeleteMessageAction,
  }),
);

/** CMQ actions this server does not implement yet: answered with an error, never a crash. */
export const plannedActions = new Set(
  [
    "CreateTopic",
    "SetTopicAttributes",
    "GetTopicAttributes",
    "ListTopic",
    "DeleteTopic",
    "PublishMessage",
    "BatchPublishMessage",
    "Subscribe",
    "SetSubscriptionAttributes",
    "GetSubscriptionAttributes",
    "ListSubscriptionByTopic",
    "Unsubscribe",
    "ClearSubscriptionFilterTags",
    "QueryQueueRoute",
    "QueryTopicRoute",
  ].map((a) => a.toLowerCase()),
);
