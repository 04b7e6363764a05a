import { describe, expect, it } from "vitest";
import { attachEarlyBody, BodyIncompleteError, BodyTimeoutError, BodyTooLargeError, readBody } from "./read-body";

const chunk = new Uint8Array(64 * 1024).fill(97);

/** A chunked body (no Content-Length) made on demand; `pulled` counts the bytes handed out. */
function endlessBody(options: { stall?: boolean } = {}) {
  const state = { pulled: 0, cancelled: false };
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (options.stall) return new Promise(() => {}); // a client that never sends another byte
      state.pulled += chunk.byteLength;
      controller.enqueue(chunk);
    },
    cancel() {
      state.cancelled = true;
    },
  });
  const req = new Request("http://test/", { method: "POST", body, duplex: "half" } as RequestInit);
  return { req, state };
}

describe("readBody", () => {
  it("reports a body that breaks off (the client hung up) as incomplete, not as the socket's error", async () => {
    const reset = Object.assign(new Error("aborted"), { code: "ECONNRESET" }); // what a dropped client gives
    let sent = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent) return controller.error(reset);
        sent = true;
        controller.enqueue(chunk);
      },
    });
    const req = new Request("http://test/", { method: "POST", body, duplex: "half" } as RequestInit);
    await expect(readBody(req)).rejects.toBeInstanceOf(BodyIncompleteError);
  });

  it("stops a chunked body of unbounded size at the limit, having read only about the limit", async () => {
    const { req, state } = endlessBody();
    const error = await readBody(req, { limit: 1024 * 1024, timeoutMs: 10_000 }).catch((e) => e);
    expect(error).toBeInstanceOf(BodyTooLargeError);
    expect(state.cancelled).toBe(true);
    // The stream may run a few chunks ahead of the reader (its queue), never far.
    expect(state.pulled).toBeLessThanOrEqual(1024 * 1024 + 4 * chunk.byteLength);
  });

  it("refuses a declared Content-Length over the limit before reading", async () => {
    const req = new Request("http://test/", {
      method: "POST",
      body: "x".repeat(10),
      headers: { "content-length": String(5 * 1024 * 1024) },
    });
    await expect(readBody(req, { limit: 1024 })).rejects.toBeInstanceOf(BodyTooLargeError);
  });

  it("gives up on a body that never ends", async () => {
    const { req, state } = endlessBody({ stall: true });
    const error = await readBody(req, { limit: 1024, timeoutMs: 200 }).catch((e) => e);
    expect(error).toBeInstanceOf(BodyTimeoutError);
    expect(error.timeoutMs).toBe(200);
    expect(state.cancelled).toBe(true);
  });

  it("counts bytes, not UTF-16 units: 600 three-byte characters are 1,800 bytes", async () => {
    const text = "€".repeat(600);
    const over = new Request("http://test/", { method: "POST", body: text });
    await expect(readBody(over, { limit: 1799 })).rejects.toBeInstanceOf(BodyTooLargeError);
    const fits = new Request("http://test/", { method: "POST", body: text });
    expect((await readBody(fits, { limit: 1800 })).toString("utf8")).toBe(text);
  });

  it("reads an empty or absent body as no bytes", async () => {
    expect((await readBody(new Request("http://test/", { method: "POST" }))).length).toBe(0);
  });
});

describe("readBody of a body read early (the front's small bodies)", () => {
  const withEarly = (body: Promise<Buffer>, headers: Record<string, string> = {}) => {
    const req = new Request("http://test/", { method: "POST", headers });
    attachEarlyBody(req, body);
    return req;
  };

  it("takes the early body instead of the request's stream", async () => {
    const req = withEarly(Promise.resolve(Buffer.from('{"a":1}')), { "content-length": "7" });
    expect((await readBody(req)).toString()).toBe('{"a":1}');
  });

  it("keeps its byte limits: a declared length over the limit is refused before the body is awaited", async () => {
    const never = new Promise<Buffer>(() => {});
    await expect(readBody(withEarly(never, { "content-length": "2000" }), { limit: 1000 })).rejects.toBeInstanceOf(
      BodyTooLargeError,
    );
    await expect(readBody(withEarly(Promise.resolve(Buffer.alloc(2000))), { limit: 1000 })).rejects.toBeInstanceOf(
      BodyTooLargeError,
    );
  });

  it("fails as the early reader failed: deadline passed, or the client hung up", async () => {
    await expect(readBody(withEarly(Promise.reject(new BodyTimeoutError(2000))))).rejects.toBeInstanceOf(
      BodyTimeoutError,
    );
    await expect(readBody(withEarly(Promise.reject(new BodyIncompleteError())))).rejects.toBeInstanceOf(
      BodyIncompleteError,
    );
  });
});
