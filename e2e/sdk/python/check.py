"""Drives Tencent's official CMQ Python SDK (cmq-python-sdk, branch python3) against OpenCMQ.

Run by e2e/api/sdk-python.spec.ts with the SDK on PYTHONPATH and, in the environment,
CMQ_ENDPOINT (http://host:port), CMQ_SECRET_ID, CMQ_SECRET_KEY and CMQ_PREFIX (unique per run).
Prints one line per step, with nothing that changes between runs (ids and times are checked here
and printed as facts), so the spec can compare the whole output. Exits 1 on an unexpected error.
"""

import os
import re
import sys
import threading
import time
import types

if sys.version_info >= (3, 13):
    # cmq/subscription.py imports mailcap.subst, removed from the standard library in 3.13.
    sys.modules["mailcap"] = types.ModuleType("mailcap")
    sys.modules["mailcap"].subst = None

import cmq.cmq_client  # noqa: E402
from cmq.account import Account  # noqa: E402
from cmq.cmq_exception import CMQServerException  # noqa: E402
from cmq.queue import Message, QueueMeta  # noqa: E402

ENDPOINT = os.environ["CMQ_ENDPOINT"]
SECRET_ID = os.environ["CMQ_SECRET_ID"]
SECRET_KEY = os.environ["CMQ_SECRET_KEY"]
PREFIX = os.environ["CMQ_PREFIX"]


def new_account(secret_id=SECRET_ID, secret_key=SECRET_KEY):
    account = Account(ENDPOINT, secret_id, secret_key)
    # The SDK's socket timeout is 10 s plus the long-poll wait; give a busy test machine more room.
    account.get_client().set_connection_timeout(30)
    return account


def say(step, *facts):
    print(step + (": " + " ".join(str(f) for f in facts) if facts else ""), flush=True)


def refused(step, call):
    """Runs call, which must raise CMQServerException; prints its code and module code."""
    try:
        call()
    except CMQServerException as e:
        module = re.match(r"^\((\d+)\)", e.message)
        extra = ""
        if isinstance(e.data, dict) and "errorList" in e.data:
            extra = " errors=" + ",".join(str(x["code"]) for x in e.data["errorList"])
        say(step, "code=%s module=%s%s" % (e.code, module.group(1) if module else "-", extra))
        return
    say(step, "NOT REFUSED")


def local(name):
    return name[len(PREFIX):] if name.startswith(PREFIX) else "<" + name + ">"


def meta_facts(meta):
    return (
        "visibilityTimeout=%d pollingWaitSeconds=%d maxMsgSize=%d msgRetentionSeconds=%d rewindSeconds=%d "
        "maxMsgHeapNum=%d activeMsgNum=%d inactiveMsgNum=%d delayMsgNum=%d rewindmsgNum=%d times=%s"
        % (
            meta.visibilityTimeout,
            meta.pollingWaitSeconds,
            meta.maxMsgSize,
            meta.msgRetentionSeconds,
            meta.rewindSeconds,
            meta.maxMsgHeapNum,
            meta.activeMsgNum,
            meta.inactiveMsgNum,
            meta.delayMsgNum,
            meta.rewindmsgNum,
            "ok" if abs(meta.createTime - time.time()) < 600 and meta.lastModifyTime >= meta.createTime else "BAD",
        )
    )


def message_facts(msg):
    now = time.time()
    sane = (
        isinstance(msg.msgId, str)
        and msg.msgId != ""
        and isinstance(msg.receiptHandle, str)
        and msg.receiptHandle != ""
        and abs(msg.enqueueTime - now) < 600
        and msg.nextVisibleTime > msg.enqueueTime - 1
    )
    return "body=%r dequeueCount=%d fields=%s" % (msg.msgBody, msg.dequeueCount, "ok" if sane else "BAD")


def lifecycle(account):
    name = PREFIX + "-life"
    queue = account.get_queue(name)
    meta = QueueMeta()
    meta.visibilityTimeout = 45
    meta.maxMsgSize = 2048
    queue.create(meta)
    say("create")
    say("get_attributes", meta_facts(queue.get_attributes()))
    meta = queue.get_attributes()
    meta.visibilityTimeout = 60
    meta.pollingWaitSeconds = 2
    meta.msgRetentionSeconds = 3600
    queue.set_attributes(meta)
    say("set_attributes", meta_facts(queue.get_attributes()))
    account.get_queue(PREFIX + "-other").create(QueueMeta())
    total, queues, next_offset = account.list_queue(searchWord=PREFIX)
    say("list_queue", "total=%d" % total, sorted(local(q["queueName"]) for q in queues), "next=%r" % next_offset)
    total, queues, next_offset = account.list_queue(searchWord=PREFIX, limit=1, offset=0)
    say("list_queue page 1", "total=%d" % total, "count=%d" % len(queues), "next=%r" % next_offset)
    total, queues, next_offset = account.list_queue(searchWord=PREFIX, limit=1, offset=next_offset)
    say("list_queue page 2", "total=%d" % total, "count=%d" % len(queues), "next=%r" % next_offset)
    refused("create duplicate (other case)", lambda: account.get_queue(name.upper()).create(QueueMeta()))
    refused("create bad name", lambda: account.get_queue("9" + name).create(QueueMeta()))
    queue.delete()
    say("delete")
    refused("get_attributes after delete", queue.get_attributes)
    account.get_queue(PREFIX + "-other").delete()
    total, queues, next_offset = account.list_queue(searchWord=PREFIX)
    say("list_queue after delete", "total=%d" % total)


def messages(account, name):
    queue = account.get_queue(name)
    sent = queue.send_message(Message("hello from python"))
    say("send_message", "msgId=%s" % ("ok" if sent.msgId else "BAD"))
    got = queue.receive_message(0)
    say("receive_message", message_facts(got))
    queue.delete_message(got.receiptHandle)
    say("delete_message")
    refused("delete_message again", lambda: queue.delete_message(got.receiptHandle))
    refused("receive_message empty", lambda: queue.receive_message(1))

    bodies = ["@starts-with-at", "plain", "spaces & symbols =+%/?", "unicode ✓ 中文"]
    sent = queue.batch_send_message([Message(b) for b in bodies])
    say("batch_send_message", "count=%d" % len(sent), "ids=%s" % ("ok" if all(m.msgId for m in sent) else "BAD"))
    got = queue.batch_receive_message(16, 1)
    say("batch_receive_message", "count=%d" % len(got), sorted(m.msgBody for m in got))
    handles = [m.receiptHandle for m in got]
    queue.batch_delete_message(handles)
    say("batch_delete_message")
    refused("batch_delete_message again", lambda: queue.batch_delete_message(handles))
    queue.send_message(Message("one left"))
    left = queue.receive_message(0)
    refused("batch_delete_message partial", lambda: queue.batch_delete_message([left.receiptHandle] + handles[:1]))

    refused("send_message larger than maxMsgSize", lambda: queue.send_message(Message("x" * 65537)))
    refused("batch_send_message larger than maxMsgSize", lambda: queue.batch_send_message([Message("y"), Message("é" * 32769)]))
    refused("rewindQueue with rewind off", lambda: queue.rewindQueue(int(time.time()) - 60))

    queue.send_message(Message("delayed"), delayTime=30)
    meta = queue.get_attributes()
    say("delayed message counted", "delayMsgNum=%d activeMsgNum=%d" % (meta.delayMsgNum, meta.activeMsgNum))


def rewind(account):
    """rewindSeconds and rewindmsgNum through the SDK's QueueMeta; rewindQueue re-delivers in order."""
    name = PREFIX + "-rewind"
    queue = account.get_queue(name)
    meta = QueueMeta()
    meta.rewindSeconds = 600
    queue.create(meta)
    say("create with rewindSeconds", meta_facts(queue.get_attributes()))
    queue.batch_send_message([Message(b) for b in ["r1", "r2", "r3"]])
    got = queue.batch_receive_message(16, 1)
    queue.batch_delete_message([m.receiptHandle for m in got])
    say("deleted, kept for rewind", meta_facts(queue.get_attributes()))
    queue.rewindQueue(int(time.time()) - 60)
    say("rewindQueue")
    again = [queue.receive_message(0) for _ in range(3)]
    say("receive after rewind", [m.msgBody for m in again], "dequeueCount=%s" % [m.dequeueCount for m in again])
    say("after rewind", meta_facts(queue.get_attributes()))
    refused("rewindQueue before the window", lambda: queue.rewindQueue(int(time.time()) - 3600))
    refused("rewindQueue in the future", lambda: queue.rewindQueue(int(time.time()) + 3600))
    queue.batch_delete_message([m.receiptHandle for m in again])
    meta = queue.get_attributes()
    meta.rewindSeconds = 0
    queue.set_attributes(meta)
    say("rewind turned off", meta_facts(queue.get_attributes()))
    refused("rewindQueue after turning it off", lambda: queue.rewindQueue(int(time.time()) - 60))
    queue.delete()


def long_poll(account, sender, name):
    """A waiting receive_message returns the message sent while it waits."""
    queue = account.get_queue(name)

    def send_later():
        time.sleep(1)
        sender.get_queue(name).send_message(Message("woke the waiter"))

    thread = threading.Thread(target=send_later)
    thread.start()
    got = queue.receive_message(10)
    thread.join()
    say("long poll receive_message(10)", message_facts(got))
    queue.delete_message(got.receiptHandle)

    thread = threading.Thread(target=send_later)
    thread.start()
    got = queue.batch_receive_message(16, 10)
    thread.join()
    say("long poll batch_receive_message(16, 10)", "count=%d" % len(got), [m.msgBody for m in got])
    queue.batch_delete_message([m.receiptHandle for m in got])


def round_trip(label, account, name):
    queue = account.get_queue(name)
    queue.send_message(Message(label))
    got = queue.receive_message(0)
    queue.delete_message(got.receiptHandle)
    meta = queue.get_attributes()
    say(label, "body=%r" % got.msgBody, "visibilityTimeout=%d" % meta.visibilityTimeout)


def errors(name):
    missing = new_account().get_queue(PREFIX + "-missing")
    refused("get_attributes missing queue", missing.get_attributes)
    refused("send_message missing queue", lambda: missing.send_message(Message("x")))
    refused("receive_message missing queue", lambda: missing.receive_message(0))
    wrong_key = new_account(secret_key=SECRET_KEY + "x").get_queue(name)
    refused("wrong secret key", lambda: wrong_key.send_message(Message("x")))
    refused("wrong secret key sha256", lambda: with_sign(new_account(secret_key="nope"), "sha256").get_queue(name).get_attributes())
    unknown = new_account(secret_id="AKID" + "0" * 32).get_queue(name)
    refused("unknown secret id", lambda: unknown.send_message(Message("x")))
    not_akid = new_account(secret_id="XYZ" + SECRET_ID).get_queue(name)
    refused("secret id without AKID", lambda: not_akid.send_message(Message("x")))


def with_sign(account, sign):
    account.set_sign(sign)
    return account


def main():
    account = new_account()
    lifecycle(account)

    name = PREFIX + "-msgs"
    account.get_queue(name).create(QueueMeta())
    messages(account, name)
    rewind(account)
    poll_name = PREFIX + "-poll"
    account.get_queue(poll_name).create(QueueMeta())
    long_poll(account, new_account(), poll_name)

    round_trip("HmacSHA1 POST /v2/index.php", account, poll_name)
    round_trip("HmacSHA256 POST /v2/index.php", with_sign(new_account(), "sha256"), poll_name)
    get = new_account()
    get.get_client().set_method("GET")
    round_trip("HmacSHA1 GET /v2/index.php", get, poll_name)
    get256 = with_sign(new_account(), "sha256")
    get256.get_client().set_method("GET")
    round_trip("HmacSHA256 GET /v2/index.php", get256, poll_name)
    # The SDK's path is a module constant; aiming it at / exercises the server's root endpoint too.
    cmq.cmq_client.URISEC = "/"
    round_trip("HmacSHA1 POST /", account, poll_name)
    round_trip("HmacSHA256 POST /", with_sign(new_account(), "sha256"), poll_name)
    cmq.cmq_client.URISEC = "/v2/index.php"

    errors(name)
    for queue in (name, poll_name):
        account.get_queue(queue).delete()
    say("done")


if __name__ == "__main__":
    main()
