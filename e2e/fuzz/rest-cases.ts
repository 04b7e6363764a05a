import fc from "fast-check";
import {
  compactPrint,
  encodeComponent,
  fuzzNumber,
  fuzzRetention,
  fuzzText,
  hasBadText,
  invalidUtf8,
  isBadText,
  malformedEscape,
  wellFormed,
} from "./strings";

// Random REST requests: every endpoint with fuzzed paths, queries, JSON bodies and raw bodies,
// credentials, methods and sizes. A case says what it must get where the answer is certain
// (`expected`); otherwise only the general rules apply (no 5xx, the documented error format).

export type RestCase = {
  method: string;
  path: string;
  auth: "owner" | "none" | "wrong" | "malformed";
  body?: Buffer;
  expected?: { status: number; code: string };
};

export type RestTarget = { queue: string; secretId: string };

const methods = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/** badText: the decoded segment is refused as a path parameter (400 INVALID_INPUT, before the body). */
type Segment = { raw: string; undecodable: boolean; badText: boolean };
// "." and ".." would be resolved away by URL parsing, sending the request to another route.
const named = (name: string): Segment => ({
  raw: /^\.{0,2}$/.test(name) ? `q${name}` : encodeComponent(name),
  undecodable: false,
  badText: isBadText(wellFormed(name)),
});
const undecodable = (raw: string): Segment => ({ raw, undecodable: true, badText: false });

/** A path segment: the target, a fuzzed name (encoded), or a segment that does not decode. */
const segment = (target: string) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constant(named(target)) },
    { weight: 3, arbitrary: fuzzText.map((t) => named(t)) },
    { weight: 1, arbitrary: malformedEscape.map((e) => undecodable(`q${e}`)) },
  );

/** A /users/{id} or /keys/{id} segment; anything but a UUID is refused before the body is read. */
const idSegment = fc
  .oneof(fc.uuid().map(named), fuzzText.map(named), malformedEscape.map(undecodable))
  .map((s) => ({ ...s, badText: s.badText || (!s.undecodable && !isUuid(decodeURIComponent(s.raw))) }));
const isUuid = (value: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);

const messageInput = fc.record(
  { body: fc.oneof(fuzzText, fuzzNumber), delaySeconds: fuzzNumber, tags: fc.array(fuzzText, { maxLength: 6 }) },
  { requiredKeys: ["body"] },
);
// waitSeconds is always present and never a valid wait above 0: a fuzz run must not long-poll.
const noWait = fc.constantFrom(0, -1, 31, "5", null);
// Nor may it give a queue a default long poll that a later receive without waitSeconds would use.
const attributes = fc.record(
  {
    visibilityTimeout: fuzzNumber,
    pollingWaitSeconds: noWait,
    maxMsgSize: fuzzNumber,
    msgRetentionSeconds: fuzzRetention,
    maxMsgHeapNum: fuzzNumber,
    rewindSeconds: fuzzNumber,
    deadLetter: fc.constantFrom(null, {}, "x"),
  },
  { requiredKeys: [] },
);
const statement = fc.record({
  effect: fc.oneof(fc.constantFrom("allow", "deny"), fuzzText),
  actions: fc.array(fc.oneof(fc.constantFrom("queue:*", "queue:SendMessage", "*"), fuzzText), { maxLength: 4 }),
  resources: fc.array(fuzzText, { maxLength: 4 }),
});

type Endpoint = {
  /** Methods fuzzed with this endpoint's body and query. */
  methods: readonly string[];
  /** Methods the route file serves (others answer 405); absent for the catch-all. */
  allowed?: readonly string[];
  path: fc.Arbitrary<{ path: string; segment?: Segment }>;
  body?: fc.Arbitrary<unknown>;
  query?: fc.Arbitrary<Record<string, unknown>>;
};

function endpoints(target: RestTarget): Endpoint[] {
  const queuePath = (suffix = "") =>
    segment(target.queue).map((s) => ({ path: `/api/v1/queues/${s.raw}${suffix}`, segment: s }));
  const otherQueuePath = fuzzText

    .filter((t) => t.toLowerCase() !== target.queue.toLowerCase())
    .map((t) => ({ path: `/api/v1/queues/${named(t).raw}`, segment: named(t) }));
  const idPath = (base: string, suffix = "") =>
    idSegment.map((s) => ({ path: `/api/v1/${base}/${s.raw}${suffix}`, segment: s }));
  const fixed = (path: string) => fc.constant({ path });
  const sendOrPeek = ["GET", "POST"];
  const queueItself = ["GET", "PATCH", "DELETE"];
  return [
    {
      methods: ["POST"],
      allowed: sendOrPeek,
      path: queuePath("/messages"),
      body: fc.record({ messages: fc.array(messageInput, { maxLength: 18 }) }),
    },
    {
      methods: ["GET"],
      allowed: sendOrPeek,
      path: queuePath("/messages"),
      query: fc.record(
        {
          state: fc.oneof(fc.constantFrom("all", "visible", "delayed", "inFlight", "rewindable"), fuzzText),
          search: fuzzText,
          cursor: fuzzText,
          limit: fuzzNumber,
        },
        { requiredKeys: [] },
      ),
    },
    {
      methods: ["POST"],
      allowed: ["POST"],
      path: queuePath("/messages/receive"),
      body: fc.record(
        { max: fuzzNumber, waitSeconds: noWait, visibilityTimeout: fuzzNumber },
        { requiredKeys: ["waitSeconds"] },
      ),
    },
    {
      methods: ["POST"],
      allowed: ["POST"],
      path: queuePath("/messages/delete"),
      body: fc.record({ receiptHandles: fc.array(fuzzText, { maxLength: 18 }) }),
    },
    {
      methods: ["GET"],
      allowed: sendOrPeek,
      path: fixed("/api/v1/queues"),
      query: fc.record({ search: fuzzText, offset: fuzzNumber, limit: fuzzNumber }, { requiredKeys: [] }),
    },
    {
      methods: ["POST"],
      allowed: sendOrPeek,
      path: fixed("/api/v1/queues"),
      body: fc
        .tuple(fc.oneof(fuzzText, fc.stringMatching(/^[a-z][a-z0-9-]{2,20}$/)), attributes)
        .map(([name, attrs]) => ({ name, ...attrs })),
    },
    { methods: ["GET"], allowed: queueItself, path: queuePath() },
    { methods: ["PATCH"], allowed: queueItself, path: queuePath(), body: attributes },
    { methods: ["DELETE"], allowed: queueItself, path: otherQueuePath },
    {
      methods: ["POST"],
      allowed: ["GET", "POST"],
      path: fixed("/api/v1/keys"),
      body: fc.record(
        { description: fuzzText, permissions: fc.array(fc.oneof(fuzzText, fc.constant("queue:*")), { maxLength: 4 }) },
        { requiredKeys: [] },
      ),
    },
    {
      methods: ["PATCH"],
      allowed: ["PATCH", "DELETE"],
      path: idPath("keys"),
      body: fc.record({ description: fuzzText, isDisabled: fc.oneof(fc.boolean(), fuzzNumber) }, { requiredKeys: [] }),
    },
    { methods: ["DELETE"], allowed: ["PATCH", "DELETE"], path: idPath("keys") },
    {
      methods: ["POST"],
      allowed: ["GET", "POST"],
      path: fixed("/api/v1/users"),
      // A valid password would make the server hash it (slow); fuzzed ones are mostly too short.
      body: fc.record(
        {
          email: fc.oneof(fuzzText, fc.emailAddress()),
          name: fuzzText,
          role: fc.oneof(fc.constantFrom("admin", "developer", "readonly", "owner"), fuzzText),
          password: fuzzText,
        },
        { requiredKeys: [] },
      ),
    },
    {
      methods: ["PATCH"],
      allowed: ["PATCH"],
      path: idPath("users"),
      body: fc.record({ name: fuzzText, role: fuzzText, isDisabled: fuzzNumber }, { requiredKeys: [] }),
    },
    {
      methods: ["PUT"],
      allowed: ["PUT"],
      path: idPath("users", "/policy"),
      body: fc.record({ statements: fc.array(statement, { maxLength: 3 }) }),
    },
    {
      methods: ["GET"],
      allowed: ["GET"],
      path: fixed("/api/v1/audit"),
      query: fc.record(
        {
          actor: fuzzText,
          action: fuzzText,
          resource: fuzzText,
          outcome: fuzzText,
          from: fc.oneof(
            fuzzText,
            fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
          ),
          to: fc.oneof(
            fuzzText,
            fc.constantFrom("0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "+010000-01-01T00:00:00Z"),
          ),
          cursor: fuzzText,
          limit: fuzzNumber,
        },
        { requiredKeys: [] },
      ),
    },
    {
      methods,
      path: fc
        .array(
          fc.oneof(
            fuzzText.map((t) => named(t).raw),
            malformedEscape,
          ),
          { minLength: 1, maxLength: 3 },
        )
        .map((parts) => ({
          path: `/api/v1/${parts.join("/")}`,
          segment: parts.every(isDecodable) ? undefined : undecodable(parts.join("/")),
        })),
    },
  ];
}

const isDecodable = (raw: string) => {
  try {
    decodeURIComponent(raw);
    return true;
  } catch {
    return false;
  }
};

/** How a JSON body goes on the wire: as JSON, or broken in one of the ways clients break it. */
const wireBody = (value: unknown) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constant({ bytes: Buffer.from(JSON.stringify(value)), kind: "json" as const }) },
    {
      weight: 1,
      arbitrary: invalidUtf8.map((bad) => {
        const text = JSON.stringify(value);
        const at = Math.max(1, text.indexOf('"') + 1);
        return {
          bytes: Buffer.concat([Buffer.from(text.slice(0, at)), bad, Buffer.from(text.slice(at))]),
          kind: "utf8" as const,
        };
      }),
    },
    {
      weight: 1,
      arbitrary: fc
        .oneof(
          fc.constant(""),
          fc.constant("   "),
          fc.constant(JSON.stringify(value).slice(0, -1)),
          fc.constant("{'single': 1}"),
        )
        .map((text) => ({ bytes: Buffer.from(text), kind: "notJson" as const })),
    },
    {
      weight: 1,
      arbitrary: fc.uint8Array({ maxLength: 64 }).map((b) => ({ bytes: Buffer.from(b), kind: "bytes" as const })),
    },
  );

const queryString = (query: Record<string, unknown>) =>
  fc.oneof(
    fc.constant(
      Object.entries(query)
        .map(([k, v]) => `${encodeComponent(k)}=${encodeComponent(String(v))}`)
        .join("&"),
    ),
    // Next.js decodes query strings leniently before the app sees them; none of these may crash it.
    malformedEscape.map((e) => `search=a${e}&limit=${e}`),
  );

export function restCase(target: RestTarget): fc.Arbitrary<RestCase> {
  return fc.oneof(
    ...endpoints(target).map((endpoint) => ({ weight: 4, arbitrary: endpointCase(endpoint) })),
    // One byte over the request limit, declared honestly.
    { weight: 1, arbitrary: fc.constant(oversized(target.queue)) },
  );
}

const maxRequestBytes = 4 * 1024 * 1024;
const oversized = (queue: string): RestCase =>
  compactPrint({
    method: "POST",
    path: `/api/v1/queues/${encodeURIComponent(queue)}/messages`,
    auth: "owner",
    body: Buffer.alloc(maxRequestBytes + 1, 0x20),
    expected: { status: 413, code: "REQUEST_TOO_LARGE" },
  });

function endpointCase(endpoint: Endpoint): fc.Arbitrary<RestCase> {
  return fc
    .record({
      method: fc.oneof(
        { weight: 9, arbitrary: fc.constantFrom(...endpoint.methods) },
        // A DELETE the endpoint serves but does not fuzz would delete the target queue.
        {
          weight: 1,
          arbitrary: fc.constantFrom(...methods.filter((m) => m !== "DELETE" || !endpoint.allowed?.includes(m))),
        },
      ),
      auth: fc.oneof(
        { weight: 12, arbitrary: fc.constant("owner" as const) },
        { weight: 1, arbitrary: fc.constantFrom("none" as const, "wrong" as const, "malformed" as const) },
      ),
      at: endpoint.path,
      value: endpoint.body ?? fc.constant(undefined),
      query: endpoint.query ?? fc.constant(undefined),
    })
    .chain((c) =>
      fc.record({
        c: fc.constant(c),
        wire: c.value === undefined ? fc.constant(undefined) : wireBody(c.value),
        search: c.query === undefined ? fc.constant("") : queryString(c.query),
      }),
    )
    .map(({ c, wire, search }) => {
      const fuzzedMethod = endpoint.methods.includes(c.method);
      return compactPrint({
        method: c.method,
        path: search ? `${c.at.path}?${search}` : c.at.path,
        auth: c.auth,
        body: fuzzedMethod ? wire?.bytes : undefined,
        expected: expectation({
          segment: c.at.segment,
          allowed: endpoint.allowed ? endpoint.allowed.includes(c.method) : undefined,
          auth: c.auth,
          body: fuzzedMethod && wire ? { value: c.value, kind: wire.kind } : undefined,
        }),
      });
    });
}

/** The answer that is certain from the request alone, in the order the server checks. */
function expectation(c: {
  segment: Segment | undefined;
  /** Whether the route file serves the method; undefined for the catch-all (it may match a real route). */
  allowed: boolean | undefined;
  auth: RestCase["auth"];
  body: { value: unknown; kind: "json" | "utf8" | "notJson" | "bytes" } | undefined;
}): RestCase["expected"] {
  if (c.segment?.undecodable) return { status: 400, code: "INVALID_INPUT" };
  if (c.allowed === undefined) return undefined;
  if (!c.allowed) return { status: 405, code: "METHOD_NOT_ALLOWED" };
  if (c.auth !== "owner") return { status: 401, code: "UNAUTHORIZED" };
  if (c.segment?.badText) return { status: 400, code: "INVALID_INPUT" };
  if (c.body?.kind === "utf8" || c.body?.kind === "notJson") return { status: 400, code: "INVALID_JSON" };
  if (c.body?.kind === "json" && hasBadText(c.body.value)) return { status: 400, code: "INVALID_INPUT" };
  return undefined;
}
