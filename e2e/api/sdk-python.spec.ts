import { expect, test, uniqueName } from "../fixtures";
import { lines, runPythonCheck } from "../sdk/sdks";

// Tencent's official Python SDK (../shared/sdks/cmq-python-sdk, unmodified) driven by
// e2e/sdk/python/check.py against the built server; its whole output is compared. The program
// prints facts, not ids or times, so the transcript is the same on every run.
const transcript = [
  "create",
  "get_attributes: visibilityTimeout=45 pollingWaitSeconds=0 maxMsgSize=2048 msgRetentionSeconds=345600 rewindSeconds=0 maxMsgHeapNum=100000000 activeMsgNum=0 inactiveMsgNum=0 delayMsgNum=0 rewindmsgNum=0 times=ok",
  "set_attributes: visibilityTimeout=60 pollingWaitSeconds=2 maxMsgSize=2048 msgRetentionSeconds=3600 rewindSeconds=0 maxMsgHeapNum=100000000 activeMsgNum=0 inactiveMsgNum=0 delayMsgNum=0 rewindmsgNum=0 times=ok",
  "list_queue: total=2 ['-life', '-other'] next=''",
  "list_queue page 1: total=2 count=1 next=1",
  "list_queue page 2: total=2 count=1 next=''",
  "create duplicate (other case): code=4460 module=10220",
  "create bad name: code=4000 module=10020",
  "delete",
  "get_attributes after delete: code=4440 module=10100",
  "list_queue after delete: total=0",
  "send_message: msgId=ok",
  "receive_message: body='hello from python' dequeueCount=1 fields=ok",
  "delete_message",
  "delete_message again: code=4430 module=10260",
  "receive_message empty: code=7000 module=10200",
  "batch_send_message: count=4 ids=ok",
  "batch_receive_message: count=4 ['@starts-with-at', 'plain', 'spaces & symbols =+%/?', 'unicode ✓ 中文']",
  "batch_delete_message",
  "batch_delete_message again: code=6020 module=10290 errors=4430,4430,4430,4430",
  "batch_delete_message partial: code=6010 module=10150 errors=4430",
  "send_message larger than maxMsgSize: code=4400 module=10230",
  "batch_send_message larger than maxMsgSize: code=4400 module=10230",
  "rewindQueue with rewind off: code=6050 module=10670",
  "delayed message counted: delayMsgNum=1 activeMsgNum=0",
  "create with rewindSeconds: visibilityTimeout=30 pollingWaitSeconds=0 maxMsgSize=65536 msgRetentionSeconds=345600 rewindSeconds=600 maxMsgHeapNum=100000000 activeMsgNum=0 inactiveMsgNum=0 delayMsgNum=0 rewindmsgNum=0 times=ok",
  "deleted, kept for rewind: visibilityTimeout=30 pollingWaitSeconds=0 maxMsgSize=65536 msgRetentionSeconds=345600 rewindSeconds=600 maxMsgHeapNum=100000000 activeMsgNum=0 inactiveMsgNum=0 delayMsgNum=0 rewindmsgNum=3 times=ok",
  "rewindQueue",
  "receive after rewind: ['r1', 'r2', 'r3'] dequeueCount=[1, 1, 1]",
  "after rewind: visibilityTimeout=30 pollingWaitSeconds=0 maxMsgSize=65536 msgRetentionSeconds=345600 rewindSeconds=600 maxMsgHeapNum=100000000 activeMsgNum=0 inactiveMsgNum=3 delayMsgNum=0 rewindmsgNum=0 times=ok",
  "rewindQueue before the window: code=4000 module=10680",
  "rewindQueue in the future: code=4000 module=10680",
  "rewind turned off: visibilityTimeout=30 pollingWaitSeconds=0 maxMsgSize=65536 msgRetentionSeconds=345600 rewindSeconds=0 maxMsgHeapNum=100000000 activeMsgNum=0 inactiveMsgNum=0 delayMsgNum=0 rewindmsgNum=0 times=ok",
  "rewindQueue after turning it off: code=6050 module=10670",
  "long poll receive_message(10): body='woke the waiter' dequeueCount=1 fields=ok",
  "long poll batch_receive_message(16, 10): count=1 ['woke the waiter']",
  "HmacSHA1 POST /v2/index.php: body='HmacSHA1 POST /v2/index.php' visibilityTimeout=30",
  "HmacSHA256 POST /v2/index.php: body='HmacSHA256 POST /v2/index.php' visibilityTimeout=30",
  "HmacSHA1 GET /v2/index.php: body='HmacSHA1 GET /v2/index.php' visibilityTimeout=30",
  "HmacSHA256 GET /v2/index.php: body='HmacSHA256 GET /v2/index.php' visibilityTimeout=30",
  "HmacSHA1 POST /: body='HmacSHA1 POST /' visibilityTimeout=30",
  "HmacSHA256 POST /: body='HmacSHA256 POST /' visibilityTimeout=30",
  "get_attributes missing queue: code=4440 module=10100",
  "send_message missing queue: code=4440 module=10100",
  "receive_message missing queue: code=4440 module=10100",
  "wrong secret key: code=4100 module=10030",
  "wrong secret key sha256: code=4100 module=10030",
  "unknown secret id: code=4100 module=10270",
  "secret id without AKID: code=4000 module=10450",
  "done",
];

test("Tencent's Python SDK: queue lifecycle, messages, rewind, @-prefixed batches, long polls, SHA1/SHA256, GET/POST, both paths, error codes", async ({
  owner,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const result = await runPythonCheck(
    { endpoint: String(baseURL), secretId: owner.secretId, secretKey: owner.secretKey },
    uniqueName("py"),
  );
  expect(result.stderr).toBe("");
  expect(lines(result.stdout)).toEqual(transcript);
  expect(result.code).toBe(0);
});
