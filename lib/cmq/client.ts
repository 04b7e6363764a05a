import { randomInt } from "node:crypto";
import { cmqProtocolErrorTable } from "@/lib/errors";
import { hmacBase64, type SignatureMethod, stringToSign } from "./signature";

// A TypeScript client for the CMQ action API, signing exactly as Tencent's SDKs do (§2). Used by
// the tests and the benchmark; usable by applications against OpenCMQ or CMQ itself.

const noMessageCode = cmqProtocolErrorTable.NO_MESSAGE.cmqCode;

export type CmqClientOptions = {
  /** e.g. "http://127.0.0.1:3000" — scheme, host and optional port; `path` says where actions go. */
  endpoint: string;
  secretId: string;
  secretKey: string;
  path?: string;
  method?: "POST" | "GET";
  signatureMethod?: SignatureMethod;
  /** What the official SDKs send as RequestClient, e.g. "SDK_JAVA_1.3"; default "OpenCMQ_TS_1.0". */
  requestClient?: string;
  // POST Content-Type; the Java SDK sends "*/*;charset=utf-8". Default application/x-www-form-urlencoded.
  contentType?: string;
  /** Sign as the Python and PHP SDKs do: POST parameters whose value starts with "@" left out (§2.6). */
  omitAtValues?: boolean;
};

export type CmqResponse = { code: number; message: string; requestId: string } & Record<string, unknown>;

export class CmqClientError extends Error {
  constructor(readonly response: CmqResponse) {
    super(`CMQ error ${response.code}: ${response.message}`);
  }
  get code() {
    return this.response.code;
  }
}

export type QueueAttributes = {
  maxMsgHeapNum?: number;
  pollingWaitSeconds?: number;
  visibilityTimeout?: number;
  maxMsgSize?: number;
  msgRetentionSeconds?: number;
  rewindSeconds?: number;
};

/** CMQ's deadLetterPolicy, sent as JSON text on CreateQueue and SetQueueAttributes. */
export type DeadLetterPolicy = {
  deadLetterQueue: string;
  /** 0: maxReceiveCount, 1: maxTimeToLive. */
  policy: 0 | 1;
  maxReceiveCount?: number;
  maxTimeToLive?: number;
};

/** GetQueueAttributes' deadLetterPolicy: deadLetterQueue is the DLQ's id. */
export type DeadLetterPolicyAttribute = {
  deadLetterQueue: string;
  deadLetterQueueName: string;
  policy: 0 | 1;
  maxReceiveCount: number;
  maxTimeToLive: number;
};

export type CmqMessage = {
  msgBody: string;
  msgId: string;
  receiptHandle: string;
  enqueueTime: number;
  firstDequeueTime: number;
  nextVisibleTime: number;
  dequeueCount: number;
};

export type QueueAttributesResponse = Required<QueueAttributes> & {
  createTime: number;
  lastModifyTime: number;
  activeMsgNum: number;
  inactiveMsgNum: number;
  delayMsgNum: number;
  /** As the API doc and the Python SDK spell it. */
  rewindmsgNum: number;
  /** As the Java SDK reads it: the same count. */
  rewindMsgNum: number;
  minMsgTime: number;
  /** Absent when the queue has no dead-letter queue. */
  deadLetterPolicy?: DeadLetterPolicyAttribute;
};

type Params = Record<string, string | number | undefined>;

export class CmqClient {
  private readonly host: string;
  private readonly origin: string;

  constructor(private readonly options: CmqClientOptions) {
    const url = new URL(options.endpoint);
    this.origin = url.origin;
    this.host = url.host;
  }

  /** Sends one signed action and returns the raw response, whatever its code. */
  async call(action: string, params: Params = {}, extra: { signal?: AbortSignal } = {}): Promise<CmqResponse> {
    const method = this.options.method ?? "POST";
    const path = this.options.path ?? "/v2/index.php";
    const entries: [string, string][] = Object.entries({
      Action: action,
      Nonce: randomInt(1, 2 ** 31 - 1),
      RequestClient: this.options.requestClient ?? "OpenCMQ_TS_1.0",
      SecretId: this.options.secretId,
      SignatureMethod: this.options.signatureMethod ?? "HmacSHA1",
      Timestamp: Math.floor(Date.now() / 1000),
      ...params,
    })
      .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
      .map(([k, v]) => [k, String(v)]);
    const signature = hmacBase64(
      stringToSign({
        method,
        host: this.host,
        path,
        params: entries,
        omitAtValues: method === "POST" && this.options.omitAtValues,
      }),
      this.options.secretKey,
      this.options.signatureMethod,
    );
    const form = new URLSearchParams([...entries, ["Signature", signature]]).toString();
    const response =
      method === "GET"
        ? await fetch(`${this.origin}${path}?${form}`, { signal: extra.signal })
        : await fetch(`${this.origin}${path}`, {
            method: "POST",
            body: form,
            headers: { "content-type": this.options.contentType ?? "application/x-www-form-urlencoded" },
            signal: extra.signal,
          });
    if (!response.ok) throw new Error(`CMQ endpoint answered HTTP ${response.status}`);
    return (await response.json()) as CmqResponse;
  }

  private async ok<T>(action: string, params: Params): Promise<CmqResponse & T> {
    const response = await this.call(action, params);
    if (response.code !== 0) throw new CmqClientError(response);
    return response as CmqResponse & T;
  }

  createQueue(queueName: string, attributes: QueueAttributes = {}, deadLetterPolicy?: DeadLetterPolicy) {
    return this.ok<{ queueId: string }>("CreateQueue", {
      queueName,
      ...attributes,
      deadLetterPolicy: deadLetterPolicy && JSON.stringify(deadLetterPolicy),
    });
  }

  listQueue(options: { searchWord?: string; offset?: number; limit?: number } = {}) {
    return this.ok<{ totalCount: number; queueList: { queueId: string; queueName: string }[] }>("ListQueue", options);
  }

  getQueueAttributes(queueName: string) {
    return this.ok<QueueAttributesResponse>("GetQueueAttributes", { queueName });
  }

  setQueueAttributes(queueName: string, attributes: QueueAttributes, deadLetterPolicy?: DeadLetterPolicy) {
    return this.ok<Required<QueueAttributes> & { deadLetterPolicy?: DeadLetterPolicyAttribute }>("SetQueueAttributes", {
      queueName,
      ...attributes,
      deadLetterPolicy: deadLetterPolicy && JSON.stringify(deadLetterPolicy),
    });
  }

  /** The queues that use `deadLetterQueueName` as their dead-letter queue (limit ≤ 50). */
  listDeadLetterSourceQueues(
    deadLetterQueueName: string,
    options: { searchWord?: string; offset?: number; limit?: number } = {},
  ) {
    return this.ok<{ totalCount: number; queueList: { queueId: string; queueName: string }[] }>(
      "ListDeadLetterSourceQueues",
      { deadLetterQueueName, ...options },
    );
  }

  unbindDeadLetterQueue(queueName: string) {
    return this.ok("UnbindDeadLetterQueue", { queueName });
  }

  deleteQueue(queueName: string) {
    return this.ok("DeleteQueue", { queueName });
  }

  sendMessage(queueName: string, msgBody: string, delaySeconds = 0) {
    return this.ok<{ msgId: string }>("SendMessage", { queueName, msgBody, delaySeconds });
  }

  batchSendMessage(queueName: string, bodies: string[], delaySeconds = 0) {
    return this.ok<{ msgList: { msgId: string }[] }>("BatchSendMessage", {
      queueName,
      delaySeconds,
      ...indexed("msgBody", bodies),
    });
  }

  /** Resolves to null when no message arrived within the wait (CMQ code 7000). */
  async receiveMessage(queueName: string, pollingWaitSeconds?: number): Promise<CmqMessage | null> {
    const response = await this.call("ReceiveMessage", { queueName, pollingWaitSeconds });
    if (response.code === noMessageCode) return null;
    if (response.code !== 0) throw new CmqClientError(response);
    return response as unknown as CmqMessage;
  }

  async batchReceiveMessage(queueName: string, numOfMsg: number, pollingWaitSeconds?: number): Promise<CmqMessage[]> {
    const response = await this.call("BatchReceiveMessage", { queueName, numOfMsg, pollingWaitSeconds });
    if (response.code === noMessageCode) return [];
    if (response.code !== 0) throw new CmqClientError(response);
    return response.msgInfoList as CmqMessage[];
  }

  deleteMessage(queueName: string, receiptHandle: string) {
    return this.ok("DeleteMessage", { queueName, receiptHandle });
  }

  /** Throws CmqClientError with code 6010 (partial; see response.errorList) or 6020 (all failed). */
  batchDeleteMessage(queueName: string, receiptHandles: string[]) {
    return this.ok("BatchDeleteMessage", { queueName, ...indexed("receiptHandle", receiptHandles) });
  }
}

/** "name.1", "name.2", … as the Python, Java and PHP SDKs number arrays. */
export function indexed(name: string, values: string[], start = 1): Params {
  return Object.fromEntries(values.map((v, i) => [`${name}.${i + start}`, v]));
}
