import http from "node:http";

// A small JSON-over-HTTP/1.1 client on node:http with keep-alive sockets: one socket per concurrent
// caller, reused for the whole run, so the server sees `connections` steady connections.

export type JsonResponse = { status: number; json: unknown };
export type HttpClient = {
  /** host:port, as the Host header carries it (CMQ signs it). */
  host: string;
  post: (path: string, body: unknown) => Promise<JsonResponse>;
  /** POST an application/x-www-form-urlencoded body (the CMQ action API). */
  postForm: (path: string, form: string) => Promise<JsonResponse>;
  get: (path: string) => Promise<JsonResponse>;
  /** Closes every socket; requests still waiting (long polls) fail. */
  close: () => void;
};

export function createHttpClient(options: {
  baseUrl: string;
  connections: number;
  basicAuth?: { user: string; password: string };
}): HttpClient {
  const url = new URL(options.baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (options.basicAuth) {
    const { user, password } = options.basicAuth;
    headers.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
  }

  const formHeaders = { ...headers, "content-type": "application/x-www-form-urlencoded" };
  const send = (method: string, path: string, body?: unknown, baseHeaders = headers) =>
    new Promise<JsonResponse>((resolve, reject) => {
      // A string is sent as it is: constant payloads are encoded once, not once per request.
      const payload = body === undefined || typeof body === "string" ? body : JSON.stringify(body);
      const req = http.request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          method,
          path,
          headers:
            payload === undefined ? baseHeaders : { ...baseHeaders, "content-length": Buffer.byteLength(payload) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("error", reject);
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            let json: unknown = null;
            try {
              json = text ? JSON.parse(text) : null;
            } catch {
              json = text;
            }
            resolve({ status: res.statusCode ?? 0, json });
          });
        },
      );
      req.on("error", reject);
      req.end(payload);
    });

  return {
    host: url.host,
    post: (path, body) => send("POST", path, body),
    postForm: (path, form) => send("POST", path, form, formHeaders),
    get: (path) => send("GET", path),
    close: () => agent.destroy(),
  };
}
