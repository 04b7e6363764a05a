import * as messages from "./messages";
import * as queues from "./queues";
import { rewindQueueAction } from "./rewind";
import * as subscriptions from "./subscriptions";
import * as topics from "./topics";
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
    createtopic: topics.createTopicAction,
    settopicattributes: topics.setTopicAttributesAction,
    gettopicattributes: topics.getTopicAttributesAction,
    listtopic: topics.listTopicAction,
    deletetopic: topics.deleteTopicAction,
    publishmessage: topics.publishMessageAction,
    batchpublishmessage: topics.batchPublishMessageAction,
    subscribe: subscriptions.subscribeAction,
    setsubscriptionattributes: subscriptions.setSubscriptionAttributesAction,
    getsubscriptionattributes: subscriptions.getSubscriptionAttributesAction,
    listsubscriptionbytopic: subscriptions.listSubscriptionByTopicAction,
    unsubscribe: subscriptions.unsubscribeAction,
    clearsubscriptionfiltertags: subscriptions.clearSubscriptionFilterTagsAction,
  }),
);

/** CMQ actions this server does not implement yet: answered with an error, never a crash. */
export const plannedActions = new Set(["QueryQueueRoute", "QueryTopicRoute"].map((a) => a.toLowerCase()));
