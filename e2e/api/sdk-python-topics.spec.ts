import { expect, test, uniqueName } from "../fixtures";
import { lines, runPythonCheck } from "../sdk/sdks";

// Tencent's official Python SDK (../shared/sdks/cmq-python-sdk, unmodified), topic half: driven by
// e2e/sdk/python/topics.py against the built server; its whole output is compared.
const sub = (protocal: string, strategy: string, format: string, tags: string, keys: string) =>
  `protocal=${protocal} notifyStrategy=${strategy} notifyContentFormat=${format} filterTags=${tags} bindingKey=${keys}`;

const transcript = [
  "create topic",
  "get_attributes: filterType=1 maxMsgSize=4096 msgRetentionSeconds=86400 msgCount=0 times=ok",
  "set_attributes: filterType=1 maxMsgSize=8192 msgRetentionSeconds=86400 msgCount=0 times=ok",
  "create duplicate (other case): code=4460 module=10220",
  "list_topic: total=1 ['-tags'] next=''",
  "publish without subscriptions: code=6030 module=10650",
  "subscribe two queues",
  "subscribe a queue with JSON: code=4000 module=10640",
  `subscribe http: ${sub("http", "EXPONENTIAL_DECAY_RETRY", "JSON", "[]", "[]")}`,
  "subscribe ftp://: code=4000 module=10500",
  "subscribe duplicate: code=4490 module=10470",
  `get_subscription: ${sub("queue", "EXPONENTIAL_DECAY_RETRY", "SIMPLIFIED", "['a']", "[]")}`,
  `set_subscription: ${sub("queue", "BACKOFF_RETRY", "SIMPLIFIED", "['a', 'b']", "[]")}`,
  "list_subscription: total=3 ['sub-a', 'sub-all', 'sub-http'] next=''",
  "publish_message tag a: msgId=ok",
  "batch_publish_message tag b: count=2 ids=ok",
  "queue of sub-a: ['b1', 'b2', 'hello a']",
  "queue of sub-all: ['b1', 'b2', 'hello a', 'untagged']",
  "topic msgCount: int",
  `clearFilterTags: ${sub("queue", "BACKOFF_RETRY", "SIMPLIFIED", "[]", "[]")}`,
  "delete topic while subscribed: code=4000 module=10540",
  "get_subscription after delete: code=4440 module=10600",
  "get_attributes after delete: code=4440 module=10600",
  "create routing topic: filterType=2 maxMsgSize=65536 msgRetentionSeconds=86400 msgCount=0 times=ok",
  "subscribe without bindingKey: code=4000 module=10710",
  `subscribe 1.*.0 and 1.#.0: ${sub("queue", "EXPONENTIAL_DECAY_RETRY", "SIMPLIFIED", "[]", "['1.#.0']")}`,
  "queue of 1.*.0: ['r1']",
  "queue of 1.#.0: ['r1', 'r2', 'r3']",
  "publish matching nothing: code=6030 module=10730",
  "done",
];

test("Tencent's Python SDK: topics, subscriptions (queue, http), tag and routing-key publishes, error codes", async ({
  owner,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const result = await runPythonCheck(
    { endpoint: String(baseURL), secretId: owner.secretId, secretKey: owner.secretKey },
    uniqueName("pyt"),
    "topics.py",
  );
  expect(result.stderr).toBe("");
  expect(lines(result.stdout)).toEqual(transcript);
  expect(result.code).toBe(0);
});
