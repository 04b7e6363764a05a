import http from "node:http";
import { insertMessages } from "@/lib/store/messages";

// The bench's "node" baseline, the HTTP floor on this machine: a bare `node:http` server with the
// bare Next route's one endpoint (bench/bare-route) — POST /api/v1/queues/{queueId}/messages
// {"messages":[{"body":"…"}, …]} → 201 {"messages":[{"id":"…"}]} — and the same INSERT through the
// app's own `pg` pool (lib/store/messages.ts). No auth, validation, queue lookup or wake-up, and no
// framework: what is left is Node's HTTP server, JSON and `pg`. Started by bench/server.ts as
// `node --import tsx bench/bare-node.ts` with PORT and DATABASE_URL (tsx compiles it once at load).

const ROUTE = /^\/api\/v1\/queues\/([^/]+)\/messages$/;

type Body = { messages: { body: string }[] };

function answer(res: http.ServerResponse, status: number, value: unknown) {
  const text = JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

const server = http.createServer((req, res) => {
  const queueId = req.method === "POST" ? ROUTE.exec(req.url ?? "")?.[1] : undefined;
  if (!queueId) {
    // GET / answers too: the bench waits for it before the run.
    answer(res, req.method === "GET" ? 200 : 404, { ok: req.method === "GET" });
    return;
  }
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const { messages } = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Body;
    insertMessages(
      queueId,
      messages.map((m) => ({ body: m.body, delaySeconds: 0, tags: undefined })),
    ).then(
      (ids) => answer(res, 201, { messages: ids.map((id) => ({ id })) }),
      (error: unknown) => answer(res, 500, { error: { code: "InternalError", message: String(error) } }),
    );
  });
});
// Idle keep-alive sockets outlive the pauses between cells (Node's default closes them after 5 s):
// no reconnect, and no race with a socket closing just as a cell starts. Costs nothing per request.
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT), "127.0.0.1");
