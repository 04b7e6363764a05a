"""Drives the topic half of Tencent's official CMQ Python SDK (cmq-python-sdk, branch python3).

Run by e2e/api/sdk-python-topics.spec.ts like check.py: the SDK on PYTHONPATH, CMQ_ENDPOINT,
CMQ_SECRET_ID, CMQ_SECRET_KEY and CMQ_PREFIX in the environment. Prints facts, not ids or times, so
the spec compares the whole output. The SDK logs CreateTopic's topicId and Subscribe's
subscriptionId from the answers (a KeyError if either is missing), so those calls check them too.
"""

import os
import re
import sys
import time
import types

if sys.version_info >= (3, 13):
    # cmq/subscription.py imports mailcap.subst, removed from the standard library in 3.13.
    sys.modules["mailcap"] = types.ModuleType("mailcap")
    sys.modules["mailcap"].subst = None

from cmq.account import Account  # noqa: E402
from cmq.cmq_exception import CMQServerException  # noqa: E402
from cmq.queue import QueueMeta  # noqa: E402
from cmq.subscription import SubscriptionMeta  # noqa: E402
from cmq.topic import Message, TopicMeta  # noqa: E402

ENDPOINT = os.environ["CMQ_ENDPOINT"]
PREFIX = os.environ["CMQ_PREFIX"]

account = Account(ENDPOINT, os.environ["CMQ_SECRET_ID"], os.environ["CMQ_SECRET_KEY"])
account.get_client().set_connection_timeout(30)


def say(step, *facts):
    print(step + (": " + " ".join(str(f) for f in facts) if facts else ""), flush=True)


def refused(step, call):
    try:
        call()
    except CMQServerException as e:
        module = re.match(r"^\((\d+)\)", e.message)
        say(step, "code=%s module=%s" % (e.code, module.group(1) if module else "-"))
        return
    say(step, "NOT REFUSED")


def local(name):
    return name[len(PREFIX):] if name.startswith(PREFIX) else "<" + name + ">"


def topic_facts(meta):
    times = "ok" if abs(meta.createTime - time.time()) < 600 and meta.lastModifyTime >= meta.createTime else "BAD"
    return "filterType=%s maxMsgSize=%s msgRetentionSeconds=%s msgCount=%s times=%s" % (
        meta.filterType,
        meta.maxMsgSize,
        meta.msgRetentionSeconds,
        meta.msgCount,
        times,
    )


def sub_facts(meta):
    return "protocal=%s notifyStrategy=%s notifyContentFormat=%s filterTags=%s bindingKey=%s" % (
        meta.Protocal,
        meta.NotifyStrategy,
        meta.NotifyContentFormat,
        meta.FilterTag,
        meta.bindingKey,
    )


def queue_sub(endpoint, tags=(), keys=()):
    meta = SubscriptionMeta()
    meta.Endpoint = endpoint
    meta.Protocal = "queue"
    meta.NotifyContentFormat = "SIMPLIFIED"
    meta.FilterTag = list(tags)
    meta.bindingKey = list(keys)
    return meta


def bodies(queue, n=16):
    """Every message in the queue now (receives and deletes), sorted; [] when it holds none."""
    try:
        got = queue.batch_receive_message(n, 0)
    except CMQServerException as e:
        if e.code == 7000:
            return []
        raise
    for m in got:
        queue.delete_message(m.receiptHandle)
    return sorted(m.msgBody for m in got)


def tag_topic():
    q1 = account.get_queue(PREFIX + "-q1")
    q2 = account.get_queue(PREFIX + "-q2")
    q1.create(QueueMeta())
    q2.create(QueueMeta())
    topic = account.get_topic(PREFIX + "-tags")
    meta = TopicMeta()
    meta.maxMsgSize = 4096
    topic.create(meta)
    say("create topic")
    say("get_attributes", topic_facts(topic.get_attributes()))
    meta.maxMsgSize = 8192
    topic.set_attributes(meta)
    say("set_attributes", topic_facts(topic.get_attributes()))
    refused("create duplicate (other case)", lambda: account.get_topic((PREFIX + "-tags").upper()).create(TopicMeta()))
    total, topics, next_offset = account.list_topic(searchWord=PREFIX)
    say("list_topic", "total=%d" % total, sorted(local(t["topicName"]) for t in topics), "next=%r" % next_offset)
    refused("publish without subscriptions", lambda: topic.publish_message(Message("nobody")))

    account.get_subscription(topic.topicName, "sub-a").create(queue_sub(q1.queue_name, tags=["a"]))
    account.get_subscription(topic.topicName, "sub-all").create(queue_sub(q2.queue_name))
    say("subscribe two queues")
    json_meta = queue_sub(q1.queue_name)
    json_meta.NotifyContentFormat = "JSON"
    refused("subscribe a queue with JSON", lambda: account.get_subscription(topic.topicName, "json").create(json_meta))
    hook = SubscriptionMeta()
    hook.Endpoint = "http://127.0.0.1:9/hook"
    hook.Protocal = "http"
    account.get_subscription(topic.topicName, "sub-http").create(hook)
    say("subscribe http", sub_facts(account.get_subscription(topic.topicName, "sub-http").get_attributes()))
    bad = SubscriptionMeta()
    bad.Endpoint = "ftp://127.0.0.1/hook"
    bad.Protocal = "http"
    refused("subscribe ftp://", lambda: account.get_subscription(topic.topicName, "bad").create(bad))
    refused(
        "subscribe duplicate",
        lambda: account.get_subscription(topic.topicName, "SUB-A").create(queue_sub(q1.queue_name)),
    )

    sub_a = account.get_subscription(topic.topicName, "sub-a")
    say("get_subscription", sub_facts(sub_a.get_attributes()))
    change = SubscriptionMeta()
    change.NotifyStrategy = "BACKOFF_RETRY"
    change.NotifyContentFormat = "SIMPLIFIED"
    change.FilterTag = ["a", "b"]
    sub_a.set_attributes(change)
    say("set_subscription", sub_facts(sub_a.get_attributes()))
    total, subs, next_offset = topic.list_subscription()
    say("list_subscription", "total=%d" % total, sorted(s["subscriptionName"] for s in subs), "next=%r" % next_offset)

    sent = topic.publish_message(Message("hello a", ["a"]))
    say("publish_message tag a", "msgId=" + ("ok" if sent.msgId else "MISSING"))
    topic.publish_message(Message("untagged"))
    batch = topic.batch_publish_message([Message("b1"), Message("b2")], msgtag=["b"])
    say("batch_publish_message tag b", "count=%d ids=%s" % (len(batch), "ok" if all(m.msgId for m in batch) else "BAD"))
    say("queue of sub-a", bodies(q1))
    say("queue of sub-all", bodies(q2))
    # Pushes not yet delivered or dropped: a number the push worker changes as it works.
    say("topic msgCount", "int" if isinstance(topic.get_attributes().msgCount, int) else "MISSING")

    sub_a.clearFilterTags()
    say("clearFilterTags", sub_facts(sub_a.get_attributes()))
    refused("delete topic while subscribed", topic.delete)
    for name in ["sub-a", "sub-all", "sub-http"]:
        account.get_subscription(topic.topicName, name).delete()
    refused("get_subscription after delete", lambda: sub_a.get_attributes())
    topic.delete()
    refused("get_attributes after delete", topic.get_attributes)
    return q1, q2


def routing_topic(q1, q2):
    topic = account.get_topic(PREFIX + "-routing")
    meta = TopicMeta()
    meta.filterType = 2
    topic.create(meta)
    say("create routing topic", topic_facts(topic.get_attributes()))
    refused(
        "subscribe without bindingKey",
        lambda: account.get_subscription(topic.topicName, "none").create(queue_sub(q1.queue_name)),
    )
    account.get_subscription(topic.topicName, "star").create(queue_sub(q1.queue_name, keys=["1.*.0"]))
    account.get_subscription(topic.topicName, "hash").create(queue_sub(q2.queue_name, keys=["1.#.0"]))
    say("subscribe 1.*.0 and 1.#.0", sub_facts(account.get_subscription(topic.topicName, "hash").get_attributes()))
    topic.publish_message(Message("r1"), routingKey="1.x.0")
    topic.publish_message(Message("r2"), routingKey="1.2.3.4.4.2.2.0")
    topic.publish_message(Message("r3"), routingKey="1.0")
    say("queue of 1.*.0", bodies(q1))
    say("queue of 1.#.0", bodies(q2))
    refused("publish matching nothing", lambda: topic.publish_message(Message("r4"), routingKey="2.0"))
    for name in ["star", "hash"]:
        account.get_subscription(topic.topicName, name).delete()
    topic.delete()
    q1.delete()
    q2.delete()


q1, q2 = tag_topic()
routing_topic(q1, q2)
say("done")
