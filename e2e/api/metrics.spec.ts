import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { startAppServer, stopAppServer } from "../app-server";
import { basicAuth, expect, test, uniqueName } from "../fixtures";

// Monitoring across two app processes over one database: every send, receive, empty receive and
// delete made on either is counted exactly once in the queue's series and in /metrics, whichever
// process is asked. Each process writes its counts every 5 s, and once more when it stops.

const TOKEN = `metrics-token-${uniqueName("t")}`;
const COUNTERS = "SendMsgNum,RecvMsgNum,RecvNullMsgNum,DelMsgNum";

type Series = { metric: string; labels: Record<string, string>; points: { t: string; v: number | null }[] };
type Sample = { labels: Record<string, string>; value: string };
type Family = {
  name: string;
  type: string;
  metrics: (Sample & { buckets?: Record<string, string>; count?: string })[];
};

test("counters equal the operations performed on two app processes; /metrics parses and agrees", async ({
  api,
  anonymous,
  cmq,
  playwright,
  owner,
  baseURL,
}) => {
  test.setTimeout(180_000); // two servers and 5 s flushes, on a shared 2-core machine
  const port = Number(new URL(String(baseURL)).port) + 60;
  const second = await startAppServer(port, { env: { OPENCMQ_METRICS_TOKEN: TOKEN } });
  try {
    await second.ready;
    const other = await playwright.request.newContext({
      baseURL: second.url,
      extraHTTPHeaders: { authorization: basicAuth(owner.secretId, owner.secretKey) },
    });
    const name = uniqueName("mon");
    expect((await api.post("/api/v1/queues", { data: { name } })).status()).toBe(201);
    const send = async (ctx: typeof api, n: number) => {
      const messages = Array.from({ length: n }, (_, i) => ({ body: `m${i}` }));
      expect((await ctx.post(`/api/v1/queues/${name}/messages`, { data: { messages } })).status()).toBe(201);
    };
    const receive = async (ctx: typeof api, max: number) => {
      const res = await ctx.post(`/api/v1/queues/${name}/messages/receive`, { data: { max, waitSeconds: 0 } });
      expect(res.status()).toBe(200);
      return ((await res.json()).messages as { receiptHandle: string }[]).map((m) => m.receiptHandle);
    };
    const remove = async (ctx: typeof api, receiptHandles: string[]) => {
      const res = await ctx.post(`/api/v1/queues/${name}/messages/delete`, { data: { receiptHandles } });
      expect((await res.json()).deleted).toBe(new Set(receiptHandles).size);
    };

    await send(api, 5);
    await send(api, 5);
    await send(other, 4);
    await cmq.sendMessage(name, "over CMQ"); // 15 sent
    const onSecond = await receive(other, 10);
    expect(onSecond).toHaveLength(10);
    const onFirst = await receive(api, 16);
    expect(onFirst).toHaveLength(5); // 15 received
    expect(await receive(api, 16)).toEqual([]);
    expect(await receive(other, 1)).toEqual([]);
    expect(await cmq.receiveMessage(name, 0)).toBeNull(); // 3 empty receives
    await remove(other, onSecond);
    await remove(api, [...onFirst.slice(0, 4), onFirst[0] as string]); // a repeated handle deletes once: 14 deleted
    // Refused calls count nothing but the API error: a send to a queue that does not exist.
    expect(
      (await api.post(`/api/v1/queues/${name}-nope/messages`, { data: { messages: [{ body: "x" }] } })).status(),
    ).toBe(404);

    const totals = async () => {
      const res = await api.get("/api/v1/metrics/series", {
        params: {
          scope: "queue",
          name,
          metrics: COUNTERS,
          from: new Date(Date.now() - 10 * 60_000).toISOString(),
          to: new Date(Date.now() + 60_000).toISOString(),
        },
      });
      expect(res.status()).toBe(200);
      const body = (await res.json()) as { stepSeconds: number; series: Series[] };
      expect(body.stepSeconds).toBe(60);
      return Object.fromEntries(body.series.map((s) => [s.metric, s.points.reduce((a, p) => a + (p.v ?? 0), 0)]));
    };
    const expected = { SendMsgNum: 15, RecvMsgNum: 15, RecvNullMsgNum: 3, DelMsgNum: 14 };
    await expect.poll(totals, { timeout: 20_000, intervals: [1000] }).toEqual(expected);

    // Per API action, at account scope: the REST sends of both processes, the CMQ one, the 404.
    const apiSeries = await api.get("/api/v1/metrics/series", {
      params: {
        metrics: "ApiRequests,ApiErrors",
        from: new Date(Date.now() - 10 * 60_000).toISOString(),
        to: new Date(Date.now() + 60_000).toISOString(),
      },
    });
    const apiByKey = Object.fromEntries(
      ((await apiSeries.json()).series as Series[]).map((s) => [
        `${s.metric} ${s.labels.action}`,
        s.points.reduce((a, p) => a + (p.v ?? 0), 0),
      ]),
    );
    expect(apiByKey["ApiRequests POST /api/v1/queues/{name}/messages"]).toBe(4);
    expect(apiByKey["ApiErrors POST /api/v1/queues/{name}/messages"]).toBe(1);
    expect(apiByKey["ApiRequests SendMessage"]).toBe(1);
    // CMQ answers an empty receive with an error code (no message); that is not a failed call.
    expect(apiByKey["ApiRequests ReceiveMessage"]).toBe(1);
    expect(apiByKey["ApiErrors ReceiveMessage"]).toBe(0);

    // /metrics with the API key, from either process: the same cumulative counters, parsed.
    for (const ctx of [api, other]) {
      const res = await ctx.get("/metrics");
      expect(res.status()).toBe(200);
      expect(res.headers()["content-type"]).toContain("text/plain; version=0.0.4");
      const text = await res.text();
      const families = parsePrometheusTextFormat(text) as Family[];
      const value = (family: string, labels: Record<string, string> = {}) =>
        families
          .find((f) => f.name === family)
          ?.metrics.find((m) => m.labels.queue === name && Object.entries(labels).every(([k, v]) => m.labels[k] === v))
          ?.value;
      expect(families.find((f) => f.name === "opencmq_queue_messages_sent_total")?.type).toBe("COUNTER");
      expect(value("opencmq_queue_messages_sent_total")).toBe("15");
      expect(value("opencmq_queue_messages_received_total")).toBe("15");
      expect(value("opencmq_queue_empty_receives_total")).toBe("3");
      expect(value("opencmq_queue_messages_deleted_total")).toBe("14");
      expect(families.find((f) => f.name === "opencmq_queue_messages")?.type).toBe("GAUGE");
      expect(families.find((f) => f.name === "opencmq_api_request_duration_seconds")?.type).toBe("HISTOGRAM");
      // This parser folds a histogram's labelled series into one; its lines are checked as text.
      const account = `account_id="${owner.accountId}"`;
      const line = (suffix: string, extra = "") =>
        text
          .split("\n")
          .find(
            (l) =>
              l.startsWith(`opencmq_api_request_duration_seconds_${suffix}{${account},`) &&
              l.includes('action="SendMessage"') &&
              l.includes(extra),
          );
      expect(line("bucket", 'le="+Inf"')?.split(" ")[1]).toBe("1");
      expect(line("count")?.split(" ")[1]).toBe("1");
      expect(Number(line("sum")?.split(" ")[1])).toBeGreaterThan(0);
    }

    // Without credentials: 401 in the REST format; a wrong token likewise; the operator's token reads all.
    const denied = await anonymous.get("/metrics");
    expect(denied.status()).toBe(401);
    expect((await denied.json()).error.code).toBe("UNAUTHORIZED");
    const wrong = await fetch(`${second.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}x` } });
    expect(wrong.status).toBe(401);
    const scraped = await fetch(`${second.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(scraped.status).toBe(200);
    const all = parsePrometheusTextFormat(await scraped.text()) as Family[];
    const mine = all
      .find((f) => f.name === "opencmq_queue_messages_sent_total")
      ?.metrics.find((m) => m.labels.queue === name && m.labels.account_id === owner.accountId);
    expect(mine?.value).toBe("15");

    // What a process counted just before it stops is written as it stops.
    await send(other, 2);
    await other.dispose();
    await stopAppServer(second.server);
    await expect.poll(totals, { timeout: 10_000, intervals: [500] }).toEqual({ ...expected, SendMsgNum: 17 });
  } finally {
    await stopAppServer(second.server);
  }
});

test("series and top lists refuse bad input with the REST error format and change nothing", async ({ api }) => {
  const name = uniqueName("mon-bad");
  expect((await api.post("/api/v1/queues", { data: { name } })).status()).toBe(201);
  const now = Date.now();
  const range = { from: new Date(now - 60_000).toISOString(), to: new Date(now).toISOString() };
  const cases: [Record<string, string>, number, string][] = [
    [{ metrics: "SendMsgNum" }, 400, "INVALID_INPUT"], // no range
    [{ metrics: "Nope", ...range }, 400, "INVALID_INPUT"],
    [{ metrics: "SendMsgNum", from: "yesterday", to: range.to }, 400, "INVALID_INPUT"],
    [{ metrics: "SendMsgNum", from: range.to, to: range.from }, 400, "INVALID_INPUT"],
    [{ metrics: "SendMsgNum", scope: "planet", ...range }, 400, "INVALID_INPUT"],
    [{ metrics: "SendMsgNum", scope: "queue", name: "bad name!", ...range }, 400, "INVALID_INPUT"],
    [{ metrics: "SendMsgNum", extra: "1", ...range }, 400, "INVALID_INPUT"],
    [{ metrics: "SendMsgNum", scope: "queue", name: `${name}-missing`, ...range }, 404, "QUEUE_NOT_FOUND"],
  ];
  for (const [params, status, code] of cases) {
    const res = await api.get("/api/v1/metrics/series", { params });
    expect({ params, status: res.status(), code: (await res.json()).error?.code }).toEqual({ params, status, code });
  }
  const topCases: Record<string, string>[] = [
    { by: "size" },
    { by: "backlog", limit: "0" },
    { by: "backlog", limit: "51" },
    {},
  ];
  for (const params of topCases) {
    const res = await api.get("/api/v1/metrics/top", { params });
    expect(res.status()).toBe(400);
    expect((await res.json()).error.code).toBe("INVALID_INPUT");
  }
  expect((await api.post("/api/v1/metrics/series")).status()).toBe(405);
  // The queue is as it was: nothing counted.
  const queue = await (await api.get(`/api/v1/queues/${name}`)).json();
  expect(queue.counts).toEqual({ visible: 0, inFlight: 0, delayed: 0, rewindable: 0, dead: 0 });
  expect(queue.rates).toEqual({ sendPerSecond: 0, receivePerSecond: 0, deletePerSecond: 0 });
});

test("a key narrowed to monitor:read scrapes its user's queues from /metrics and may do nothing else", async ({
  api,
  playwright,
  baseURL,
}) => {
  const name = uniqueName("mon-key");
  expect((await api.post("/api/v1/queues", { data: { name } })).status()).toBe(201);
  const messages = [{ body: "a" }, { body: "b" }];
  expect((await api.post(`/api/v1/queues/${name}/messages`, { data: { messages } })).status()).toBe(201);
  const created = await api.post("/api/v1/keys", { data: { description: "scraper", permissions: ["monitor:read"] } });
  expect(created.status()).toBe(201);
  const key = await created.json();
  const scraper = await playwright.request.newContext({
    baseURL,
    extraHTTPHeaders: { authorization: basicAuth(key.secretId, key.secretKey) },
  });
  try {
    const sent = async () => {
      const families = parsePrometheusTextFormat(await (await scraper.get("/metrics")).text()) as Family[];
      return families
        .find((f) => f.name === "opencmq_queue_messages_sent_total")
        ?.metrics.find((m) => m.labels.queue === name)?.value;
    };
    // Counts are written every 5 s.
    await expect.poll(sent, { timeout: 15_000, intervals: [500] }).toBe("2");
    const series = await scraper.get("/api/v1/metrics/series", {
      params: {
        scope: "queue",
        name,
        metrics: "SendMsgNum",
        from: new Date(Date.now() - 600_000).toISOString(),
        to: new Date(Date.now() + 60_000).toISOString(),
      },
    });
    expect(series.status()).toBe(200);
    const points = (await series.json()).series[0].points as { v: number | null }[];
    expect(points.reduce((sum, p) => sum + (p.v ?? 0), 0)).toBe(2);
    // Reading metrics is all it may do: it sees the queue (so it is refused, not told "no such
    // queue"), and may neither send to it nor read its attributes.
    const send = await scraper.post(`/api/v1/queues/${name}/messages`, { data: { messages: [{ body: "c" }] } });
    expect({ status: send.status(), code: (await send.json()).error?.code }).toEqual({
      status: 403,
      code: "FORBIDDEN",
    });
    const get = await scraper.get(`/api/v1/queues/${name}`);
    expect({ status: get.status(), code: (await get.json()).error?.code }).toEqual({ status: 403, code: "FORBIDDEN" });
    const missing = await scraper.get(`/api/v1/metrics/series`, {
      params: {
        scope: "queue",
        name: `${name}-missing`,
        metrics: "SendMsgNum",
        from: "2026-01-01T00:00:00Z",
        to: "2026-01-02T00:00:00Z",
      },
    });
    expect(missing.status()).toBe(404);
  } finally {
    await scraper.dispose();
    await api.delete(`/api/v1/keys/${key.id}`);
  }
});
