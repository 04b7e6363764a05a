import fc from "fast-check";
import { compactPrint, fuzzNumber, fuzzRetention, fuzzText, invalidUtf8, isBadText, malformedEscape } from "./strings";

// Random CMQ requests: every action (and unknown ones) with fuzzed parameters, broken encodings,
// wrong signatures, timestamps and SecretIds, over POST and GET, at /v2/index.php and /.

export type CmqCase = {
  method: "POST" | "GET";
  path: "/v2/index.php" | "/";
  /** Parameters as the server should decode them (signed unless the signature is broken). */
  params: [string, string][];
  /** A parameter whose wire form is replaced by raw bytes that do not decode (POST only). */
  wire?: { name: string; bytes: Buffer };
  /** A parameter sent twice. */
  repeat?: string;
  /** Anything but HmacSHA1/HmacSHA256 is refused (4000 10110); the client then signs with SHA-1. */
  signatureMethod: string;
  signature: "valid" | "corrupted" | "missing";
  secretId: "owner" | "unknown" | "notAkid";
  timestampSkew: number;
  expected?: { codes: number[]; module?: number };
};

/** Action names that are Object.prototype properties: unknown actions like any other (4000 10430). */
const isPrototypeName = (action: string) => action.toLowerCase() in Object.prototype;

const text = (arb: fc.Arbitrary<unknown>) => arb.map((v) => (typeof v === "string" ? v : (JSON.stringify(v) ?? "")));
const number = text(fuzzNumber);
// A fuzz run must never long-poll: no valid wait above 0, and never omitted (the queue's default applies).
const noWait = fc.constantFrom("0", "-1", "31", "x", "1.5");

function actionParams(queue: string): fc.Arbitrary<[string, Record<string, string>]> {
  const queueName = fc.oneof({ weight: 4, arbitrary: fc.constant(queue) }, { weight: 2, arbitrary: fuzzText });
  const otherQueue = fuzzText.filter((n) => n.toLowerCase() !== queue.toLowerCase());
  const list = (prefix: string, values: fc.Arbitrary<string>) =>
    fc
      .tuple(fc.array(values, { maxLength: 18 }), fc.constantFrom(0, 1, 2))
      .map(([items, start]) => Object.fromEntries(items.map((v, i) => [`${prefix}.${i + start}`, v])));
  const attributes = fc.record(
    {
      maxMsgHeapNum: number,
      pollingWaitSeconds: noWait,
      visibilityTimeout: number,
      maxMsgSize: number,
      msgRetentionSeconds: text(fuzzRetention),
      rewindSeconds: number,
    },
    { requiredKeys: [] },
  );
  const action = <T extends Record<string, string>>(name: string, params: fc.Arbitrary<T>) =>
    params.map((p): [string, Record<string, string>] => [name, p]);
  return fc.oneof(
    action(
      "CreateQueue",
      fc
        .tuple(fc.oneof(fuzzText, fc.stringMatching(/^[a-z][a-z0-9-]{2,20}$/)), attributes)
        .map(([queueName, a]) => ({ queueName, ...a })),
    ),
    action("ListQueue", fc.record({ searchWord: fuzzText, offset: number, limit: number }, { requiredKeys: [] })),
    action("GetQueueAttributes", fc.record({ queueName })),
    action(
      "SetQueueAttributes",
      fc.tuple(queueName, attributes).map(([q, a]) => ({ queueName: q, ...a })),
    ),
    action("DeleteQueue", fc.record({ queueName: otherQueue })),
    action(
      "SendMessage",
      fc.record({ queueName, msgBody: fuzzText, delaySeconds: number }, { requiredKeys: ["queueName"] }),
    ),
    action(
      "BatchSendMessage",
      fc.tuple(queueName, list("msgBody", fuzzText), fc.option(number)).map(([q, bodies, d]) => ({
        queueName: q,
        ...bodies,
        ...(d === null ? {} : { delaySeconds: d }),
      })),
    ),
    action("ReceiveMessage", fc.record({ queueName, pollingWaitSeconds: noWait })),
    action("BatchReceiveMessage", fc.record({ queueName, numOfMsg: number, pollingWaitSeconds: noWait })),
    action("DeleteMessage", fc.record({ queueName, receiptHandle: fuzzText }, { requiredKeys: ["queueName"] })),
    action(
      "BatchDeleteMessage",
      fc.tuple(queueName, list("receiptHandle", fuzzText)).map(([q, handles]) => ({ queueName: q, ...handles })),
    ),
    action("RewindQueue", fc.record({ queueName, startConsumeTime: number })),
    fc
      .oneof(fuzzText, fc.constantFrom("constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"))
      .map((a): [string, Record<string, string>] => [a, { queueName: queue }]),
  );
}

/** The Action's spelling: as documented, in another case, or replaced. */
const spelling = (action: string) =>
  fc.oneof(
    { weight: 8, arbitrary: fc.constant(action) },
    { weight: 1, arbitrary: fc.constantFrom(action.toLowerCase(), action.toUpperCase()) },
  );

export function cmqCase(queue: string): fc.Arbitrary<CmqCase> {
  return fc
    .record({
      action: actionParams(queue).chain(([action, params]) => spelling(action).map((a) => ({ action: a, params }))),
      extra: fc.array(fc.tuple(fuzzText, fuzzText), { maxLength: 2 }),
      method: fc.oneof(
        { weight: 4, arbitrary: fc.constant("POST" as const) },
        { weight: 1, arbitrary: fc.constant("GET" as const) },
      ),
      path: fc.constantFrom("/v2/index.php" as const, "/" as const),
      signatureMethod: fc.oneof(
        { weight: 10, arbitrary: fc.constantFrom("HmacSHA1", "HmacSHA256") },
        { weight: 1, arbitrary: fc.oneof(fc.constantFrom("HmacMD5", "hmacsha1", "HMACSHA256", ""), fuzzText) },
      ),
      signature: fc.oneof(
        { weight: 10, arbitrary: fc.constant("valid" as const) },
        { weight: 1, arbitrary: fc.constantFrom("corrupted" as const, "missing" as const) },
      ),
      secretId: fc.oneof(
        { weight: 12, arbitrary: fc.constant("owner" as const) },
        { weight: 1, arbitrary: fc.constantFrom("unknown" as const, "notAkid" as const) },
      ),
      timestampSkew: fc.oneof(
        { weight: 10, arbitrary: fc.constant(0) },
        { weight: 1, arbitrary: fc.constantFrom(-400, 400, 1e9) },
      ),
      breakage: fc.oneof(
        { weight: 8, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant("utf8" as const), bytes: invalidUtf8 }) },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant("escape" as const), escape: malformedEscape }) },
        { weight: 1, arbitrary: fc.constant({ kind: "repeat" as const }) },
      ),
    })
    .map((c) => {
      // Extra parameters never shadow the action's own, nor the signing parameters.
      const reserved = new Set([
        "Action",
        "Nonce",
        "SecretId",
        "Signature",
        "SignatureMethod",
        "Timestamp",
        ...Object.keys(c.action.params),
      ]);
      const extra = c.extra.filter(
        ([name], i) =>
          name !== "" &&
          !reserved.has(name) &&
          !name.startsWith("msgBody.") &&
          !name.startsWith("receiptHandle.") &&
          c.extra.findIndex(([other]) => other === name) === i,
      );
      const params: [string, string][] = [["Action", c.action.action], ...Object.entries(c.action.params), ...extra];
      const target = params[params.length > 1 ? 1 : 0]?.[0] ?? "Action";
      const wire =
        c.method === "POST" && c.breakage?.kind === "utf8"
          ? { name: target, bytes: c.breakage.bytes }
          : c.method === "POST" && c.breakage?.kind === "escape"
            ? { name: target, bytes: Buffer.from(`v${c.breakage.escape}`) }
            : undefined;
      const repeat = c.breakage?.kind === "repeat" ? target : undefined;
      const cmqCase: CmqCase = {
        method: c.method,
        path: c.path,
        params,
        wire,
        repeat,
        signatureMethod: c.signatureMethod,
        signature: c.signature,
        secretId: c.secretId,
        timestampSkew: c.timestampSkew,
      };
      cmqCase.expected = expectation(cmqCase);
      return compactPrint(cmqCase);
    });
}

/** The answer that is certain from the request alone, in the order the server checks. */
function expectation(c: CmqCase): CmqCase["expected"] {
  // Parsing comes first: undecodable bytes, NUL and repeated names are refused before anything else.
  if (c.wire) return { codes: [4000], module: 10110 };
  if (c.params.some(([name, value]) => name.includes("\u0000") || value.includes("\u0000"))) {
    return { codes: [4000], module: 10110 };
  }
  if (c.repeat) return { codes: [4000], module: 10330 };
  if (c.params.some(([name, value]) => isBadText(name) || isBadText(value))) return undefined; // the client sends U+FFFD
  if (c.secretId === "notAkid") return { codes: [4000], module: 10450 };
  if (c.signature === "missing") return { codes: [4000], module: 10010 };
  if (c.signatureMethod !== "HmacSHA1" && c.signatureMethod !== "HmacSHA256") return { codes: [4000], module: 10110 };
  if (c.timestampSkew !== 0) return { codes: [4100], module: 10030 };
  if (c.secretId === "unknown") return { codes: [4100], module: 10270 };
  if (c.signature === "corrupted") return { codes: [4100], module: 10030 };
  if (isPrototypeName(c.params[0]?.[1] ?? "")) return { codes: [4000], module: 10430 };
  return undefined;
}
