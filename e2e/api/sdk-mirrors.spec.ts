import { randomInt } from "node:crypto";
import { CmqClient, type CmqClientOptions, type CmqResponse, indexed } from "@/lib/cmq/client";
import { expect, type Owner, test, uniqueName } from "../fixtures";

// The Java and PHP SDKs publish no license, so they are not run here: their exact requests and the
// fields they read are mirrored through the TypeScript client (reference/cmq-api.md §7.3–7.4;
// Java: tencentyun/cmq-java-sdk v1.1.1, PHP: tencentyun/cmq-php-sdk).

const javaInt = (value: unknown) => Number.isInteger(value) && Math.abs(value as number) < 2 ** 31;
const javaLong = (value: unknown) => Number.isSafeInteger(value);

/** What Java's bundled JSON parser demands of each field it reads, by getter. */
function expectJavaReadable(
  response: Record<string, unknown>,
  getters: { getInt?: string[]; getLong?: string[]; getString?: string[] },
) {
  for (const key of getters.getInt ?? []) expect(javaInt(response[key]), `getInt("${key}")`).toBe(true);
  for (const key of getters.getLong ?? []) expect(javaLong(response[key]), `getLong("${key}")`).toBe(true);
  for (const key of getters.getString ?? []) expect(typeof response[key], `getString("${key}")`).toBe("string");
}

// Java's Queue.getQueueAttributes() reads exactly these with getInt, and throws on a missing key.
const javaQueueAttributeKeys = [
  "maxMsgHeapNum",
  "pollingWaitSeconds",
  "visibilityTimeout",
  "maxMsgSize",
  "msgRetentionSeconds",
  "createTime",
  "lastModifyTime",
  "activeMsgNum",
  "inactiveMsgNum",
  "rewindMsgNum",
  "minMsgTime",
  "delayMsgNum",
  "rewindSeconds",
];
const javaMessageGetters = {
  getString: ["msgId", "receiptHandle", "msgBody"],
  getLong: ["enqueueTime", "nextVisibleTime", "firstDequeueTime"],
  getInt: ["dequeueCount"],
};

/** A client sending what the Java SDK's CMQClient sends: Content-Type, RequestClient, its Nonce range. */
class JavaMirror {
  readonly client: CmqClient;
  constructor(owner: Owner, baseURL: string, config: Partial<CmqClientOptions> = {}) {
    this.client = new CmqClient({
      endpoint: baseURL,
      secretId: owner.secretId,
      secretKey: owner.secretKey,
      requestClient: "SDK_JAVA_1.3",
      contentType: "*/*;charset=utf-8",
      ...config,
    });
  }

  /** new Random().nextInt(Integer.MAX_VALUE): 0 … 2³¹−2. */
  async call(action: string, params: Record<string, string | number>, nonce = randomInt(0, 2 ** 31 - 1)) {
    const response = await this.client.call(action, { ...params, Nonce: nonce });
    expectJavaReadable(response, { getInt: ["code"], getString: ["message", "requestId"] });
    return response;
  }
}

test.describe("official SDK mirrors", () => {
  test("Java SDK getQueueAttributes reads rewindMsgNum (capital M): answered beside rewindmsgNum", async ({
    owner,
    baseURL,
  }) => {
    const java = new JavaMirror(owner, String(baseURL));
    const name = uniqueName("java-attrs");
    // Account.createQueue sends only the attributes that are > 0.
    expect((await java.call("CreateQueue", { queueName: name, visibilityTimeout: 45 })).code).toBe(0);
    const attrs = await java.call("GetQueueAttributes", { queueName: name });
    expect(attrs.code).toBe(0);
    expectJavaReadable(attrs, { getInt: javaQueueAttributeKeys });
    expect(attrs).toMatchObject({ rewindMsgNum: 0, rewindmsgNum: 0, visibilityTimeout: 45, pollingWaitSeconds: 0 });
    // The TypeScript client reads the Java spelling too.
    const typed = await java.client.getQueueAttributes(name);
    expect(typed.rewindMsgNum).toBe(typed.rewindmsgNum);
  });

  test("Java SDK's rewindQueue: rewindSeconds set, startConsumeTime as a decimal string, the deleted message returns", async ({
    owner,
    baseURL,
  }) => {
    const java = new JavaMirror(owner, String(baseURL));
    const name = uniqueName("java-rewind");
    expect((await java.call("CreateQueue", { queueName: name })).code).toBe(0);
    // Queue.setQueueAttributes sends only the attributes that are > 0.
    expect((await java.call("SetQueueAttributes", { queueName: name, rewindSeconds: 3600 })).code).toBe(0);
    const before = Math.floor(Date.now() / 1000) - 1;
    await java.call("SendMessage", { queueName: name, msgBody: "again", delaySeconds: 0 });
    const got = await java.call("ReceiveMessage", { queueName: name, pollingWaitSeconds: 0 });
    await java.call("DeleteMessage", { queueName: name, receiptHandle: String(got.receiptHandle) });
    const attrs = await java.call("GetQueueAttributes", { queueName: name });
    expect(attrs).toMatchObject({ code: 0, rewindSeconds: 3600, rewindMsgNum: 1 });
    // Queue.rewindQueue(int backTrackingTime): param.put("startConsumeTime", Integer.toString(t)).
    const rewound = await java.call("RewindQueue", { queueName: name, startConsumeTime: String(before) });
    expect(rewound.code).toBe(0);
    const again = await java.call("ReceiveMessage", { queueName: name, pollingWaitSeconds: 0 });
    expect(again).toMatchObject({ code: 0, msgBody: "again" });
    expectJavaReadable(again, javaMessageGetters);
  });

  test("Java SDK's requests: */* Content-Type, Nonce 0, queue-attribute long poll, every field it reads typed as it parses", async ({
    owner,
    baseURL,
  }) => {
    for (const [path, method, signatureMethod] of [
      ["/v2/index.php", "POST", "HmacSHA1"],
      ["/", "POST", "HmacSHA256"],
      ["/v2/index.php", "GET", "HmacSHA256"],
    ] as const) {
      const java = new JavaMirror(owner, String(baseURL), { path, method, signatureMethod });
      const name = uniqueName("java");
      const label = `${method} ${path} ${signatureMethod}`;
      expect((await java.call("CreateQueue", { queueName: name }, 0)).code, label).toBe(0);
      // Queue.setQueueAttributes sends only the attributes that are > 0.
      expect((await java.call("SetQueueAttributes", { queueName: name, pollingWaitSeconds: 5 })).code).toBe(0);

      const sent = await java.call("SendMessage", { queueName: name, msgBody: "@java says hi", delaySeconds: 0 });
      expectJavaReadable(sent, { getString: ["msgId"] });
      const batch = await java.call("BatchSendMessage", {
        queueName: name,
        ...indexed("msgBody", ["j1", "j 2+%"]),
        delaySeconds: 0,
      });
      expect((batch.msgList as CmqResponse[]).length).toBe(2);
      for (const m of batch.msgList as CmqResponse[]) expectJavaReadable(m, { getString: ["msgId"] });

      const one = await java.call("ReceiveMessage", { queueName: name });
      expectJavaReadable(one, javaMessageGetters);
      expect(one.msgBody).toBe("@java says hi");
      expect(
        (await java.call("DeleteMessage", { queueName: name, receiptHandle: String(one.receiptHandle) })).code,
      ).toBe(0);
      const two = await java.call("BatchReceiveMessage", { queueName: name, numOfMsg: 16 });
      const infos = two.msgInfoList as CmqResponse[];
      for (const m of infos) expectJavaReadable(m, javaMessageGetters);
      expect(infos.map((m) => m.msgBody).sort()).toEqual(["j 2+%", "j1"]);
      const deleted = await java.call("BatchDeleteMessage", {
        queueName: name,
        ...indexed(
          "receiptHandle",
          infos.map((m) => String(m.receiptHandle)),
        ),
      });
      expect(deleted.code).toBe(0);

      // Queue.receiveMessage() sends no pollingWaitSeconds: the queue's 5 s attribute holds the
      // request until a message arrives (with a 0 s wait it would answer 7000 at once).
      const waiting = java.call("ReceiveMessage", { queueName: name });
      await new Promise((r) => setTimeout(r, 1000));
      await java.call("SendMessage", { queueName: name, msgBody: "late", delaySeconds: 0 });
      const late = await waiting;
      expect(late).toMatchObject({ code: 0, msgBody: "late" });
      await java.call("DeleteMessage", { queueName: name, receiptHandle: String(late.receiptHandle) });

      // The deprecated receiveMessage(-1) overload sends pollingWaitSeconds=30000: outside 0–30.
      const tooLong = await java.call("ReceiveMessage", { queueName: name, pollingWaitSeconds: 30000 });
      expect(tooLong.code).toBe(4000);
      expect(tooLong.message).toMatch(/^\(10110\)/);

      const listed = await java.call("ListQueue", { searchWord: name, offset: 0, limit: 20 });
      expectJavaReadable(listed, { getInt: ["totalCount"] });
      for (const q of listed.queueList as CmqResponse[]) expectJavaReadable(q, { getString: ["queueName"] });
      expect((listed.queueList as CmqResponse[]).map((q) => q.queueName)).toEqual([name]);
      expect((await java.call("DeleteQueue", { queueName: name })).code).toBe(0);
      const gone = await java.call("GetQueueAttributes", { queueName: name });
      expect(gone.code).toBe(4440);
    }
  });

  test("PHP SDK's Nonces of 1–65535: the extremes and a burst of identical requests with distinct small Nonces are all accepted", async ({
    owner,
    baseURL,
  }) => {
    for (const signatureMethod of ["HmacSHA1", "HmacSHA256"] as const) {
      const php = new CmqClient({
        endpoint: String(baseURL),
        secretId: owner.secretId,
        secretKey: owner.secretKey,
        requestClient: "SDK_PHP_1.3",
        signatureMethod,
        omitAtValues: true,
      });
      const name = uniqueName("php");
      expect((await php.call("CreateQueue", { queueName: name, Nonce: 1 })).code).toBe(0);
      expect((await php.call("GetQueueAttributes", { queueName: name, Nonce: 65535 })).code).toBe(0);

      // Identical parameters within the same second, told apart only by rand(1, 65535).
      const nonces = new Set<number>();
      while (nonces.size < 20) nonces.add(randomInt(2, 65535));
      const sends = await Promise.all(
        [...nonces].map((Nonce) =>
          php.call("SendMessage", { queueName: name, msgBody: "same", delaySeconds: 0, Nonce }),
        ),
      );
      expect(sends.map((r) => r.code)).toEqual(Array(20).fill(0));

      // BatchSendMessage with an "@" body, signed without it as the PHP SDK signs.
      const batch = await php.call("BatchSendMessage", {
        queueName: name,
        ...indexed("msgBody", ["@php", "plain"]),
        delaySeconds: 0,
        Nonce: randomInt(1, 65536),
      });
      expect(batch.code).toBe(0);
      // queue.php's receive adds UserpollingWaitSeconds beside pollingWaitSeconds.
      const bodies: unknown[] = [];
      for (let i = 0; i < 2; i++) {
        const got = await php.call("BatchReceiveMessage", {
          queueName: name,
          numOfMsg: 16,
          pollingWaitSeconds: 1,
          UserpollingWaitSeconds: 1,
          Nonce: randomInt(1, 65536),
        });
        expect(got.code).toBe(0);
        bodies.push(...(got.msgInfoList as CmqResponse[]).map((m) => m.msgBody));
      }
      expect(bodies.sort()).toEqual(["@php", "plain", ...Array(20).fill("same")]);
      expect((await php.call("DeleteQueue", { queueName: name, Nonce: randomInt(1, 65536) })).code).toBe(0);
    }
  });
});
