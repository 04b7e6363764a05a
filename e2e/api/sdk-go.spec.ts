import { expect, test, uniqueName } from "../fixtures";
import { buildGoCheck, lines, runGoCheck } from "../sdk/sdks";

// Tencent's official Go SDK (../shared/sdks/cmq-go-sdk, unmodified; message actions only) driven by
// e2e/sdk/go against the built server; its whole output is compared. It numbers batches from 0,
// signs "@" values, posts to its endpoint's own path ("/" when bare) and decodes clientRequestId
// as a number.
const batchBodies = `["@starts-with-at" "plain" "spaces & symbols =+%/?" "unicode ✓ 中文"]`;

const roundTrip = (label: string) => [
  `${label} Send: code=0 module=- msgId=ok clientRequestId=ok`,
  `${label} Receive: code=0 module=- body="hello from go" dequeueCount=1 fields=ok`,
  `${label} Delete: code=0 module=-`,
  `${label} Delete again: code=4430 module=10260`,
  `${label} BatchSend: code=0 module=- count=4 ids=ok`,
  `${label} BatchReceive: code=0 module=- count=4 ${batchBodies}`,
  `${label} BatchDelete: code=0 module=-`,
  `${label} BatchDelete again: code=6020 module=10290 errors=4`,
  `${label} Receive empty: code=7000 module=10200`,
];

const transcript = [
  ...["POST", "GET"].flatMap((method) =>
    ["/v2/index.php", "/"].flatMap((path) =>
      ["HmacSHA1", "HmacSHA256"].flatMap((sign) => roundTrip(`${sign} ${method} ${path}`)),
    ),
  ),
  `long poll Receive (10 s): code=0 module=- body="woke the waiter" dequeueCount=1 fields=ok`,
  `long poll BatchReceive (10 s): code=0 module=- ["@batch woke the waiter"]`,
  "Receive before a delayed message is due: code=7000 module=10200",
  "SendMessage missing queue: code=4440 module=10100",
  "ReceiveMessage missing queue: code=4440 module=10100",
  "BatchDeleteMessage missing queue: code=4440 module=10100",
  "DeleteMessage unknown handle: code=4430 module=10260",
  "SendMessage larger than maxMsgSize: code=4400 module=10230",
  "QueryQueueRoute (not supported): code=4000 module=10430",
  "PublishMessage missing topic: code=4440 module=10600",
  "wrong secret key HmacSHA1 at /v2/index.php: code=4100 module=10030",
  "wrong secret key HmacSHA256 at /: code=4100 module=10030",
  "unknown secret id: code=4100 module=10270",
  "secret id without AKID: code=4000 module=10450",
  "done",
];

test("Tencent's Go SDK: messages, @-prefixed batches, long polls, SHA1/SHA256, GET/POST, both paths, error codes", async ({
  owner,
  baseURL,
  cmq,
}) => {
  test.setTimeout(300_000);
  const binary = await buildGoCheck();
  const queue = uniqueName("go");
  await cmq.createQueue(queue);
  const result = await runGoCheck(
    binary,
    { endpoint: String(baseURL), secretId: owner.secretId, secretKey: owner.secretKey },
    queue,
    uniqueName("go-missing"),
  );
  expect(result.stderr).toBe("");
  expect(lines(result.stdout)).toEqual(transcript);
  expect(result.code).toBe(0);
  await cmq.deleteQueue(queue);
});
