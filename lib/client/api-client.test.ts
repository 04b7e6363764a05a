import { afterEach, describe, expect, it, vi } from "vitest";
import { queueListSchema } from "@/lib/schemas/queue";
import { ApiError, apiFetch } from "./api-client";

afterEach(() => vi.unstubAllGlobals());

const answer = (status: number, body?: unknown) =>
  vi.stubGlobal(
    "fetch",
    vi.fn(async () => new Response(body === undefined ? null : JSON.stringify(body), { status })),
  );

describe("apiFetch", () => {
  it("resolves to the answer parsed by the route's response schema", async () => {
    answer(200, { queues: [], total: 0 });
    await expect(apiFetch("/queues", { response: queueListSchema })).resolves.toEqual({ queues: [], total: 0 });
  });

  it("refuses an answer that does not match the schema instead of passing it on", async () => {
    answer(200, { queues: [{ name: "q" }], total: "1" });
    const error = await apiFetch("/queues", { response: queueListSchema }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: "UNEXPECTED_RESPONSE", status: 200 });
  });

  it("turns the REST error format into an ApiError with its code", async () => {
    answer(404, { error: { code: "QUEUE_NOT_FOUND", message: 'Queue "q" does not exist.' } });
    await expect(apiFetch("/queues/q", { response: queueListSchema })).rejects.toMatchObject({
      code: "QUEUE_NOT_FOUND",
      status: 404,
      message: 'Queue "q" does not exist.',
    });
  });

  it("resolves to undefined for 204 No Content", async () => {
    answer(204);
    await expect(apiFetch("/queues/q", { method: "DELETE" })).resolves.toBeUndefined();
  });
});
