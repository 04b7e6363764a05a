import { describe, expect, it } from "vitest";
import { messageFilterSchema } from "@/lib/schemas/message-filter";
import { filterSql } from "./message-filter";

describe("filterSql", () => {
  it("numbers its placeholders after the caller's and escapes LIKE wildcards in a search", () => {
    const values: unknown[] = ["first"];
    const filter = messageFilterSchema.parse({
      state: "dead",
      ids: ["7", "9"],
      search: "50%_off",
      tag: "vip",
      enqueuedFrom: "2026-11-30T00:00:00Z",
      enqueuedBefore: "2026-12-01T00:00:00Z",
    });
    expect(filterSql("42", filter, values)).toEqual({
      table: "message",
      where: [
        "queue_id = $2",
        "dead_at IS NOT NULL",
        "id = ANY($3::bigint[])",
        "body ILIKE $4",
        "tags @> ARRAY[$5]::text[]",
        "enqueued_at >= $6::timestamptz",
        "enqueued_at < $7::timestamptz",
      ],
    });
    expect(values).toEqual([
      "first",
      "42",
      ["7", "9"],
      "%50\\%\\_off%",
      "vip",
      "2026-11-30T00:00:00Z",
      "2026-12-01T00:00:00Z",
    ]);
  });

  it("reads rewindable messages from the history table", () => {
    expect(filterSql("1", messageFilterSchema.parse({ state: "rewindable" }), [])).toEqual({
      table: "message_history",
      where: [
        "queue_id = $1",
        "enqueued_at >= now() - (SELECT rewind_seconds FROM queue WHERE id = $1) * interval '1 second'",
      ],
    });
  });

  it("refuses ids that are not bigints, an empty id list and a time range that ends before it starts", () => {
    expect(messageFilterSchema.safeParse({ ids: ["1x"] }).success).toBe(false);
    expect(messageFilterSchema.safeParse({ ids: ["99999999999999999999"] }).success).toBe(false);
    expect(messageFilterSchema.safeParse({ ids: [] }).success).toBe(false);
    expect(
      messageFilterSchema.safeParse({ enqueuedFrom: "2026-12-01T00:00:00Z", enqueuedBefore: "2026-11-30T00:00:00Z" })
        .success,
    ).toBe(false);
    expect(messageFilterSchema.safeParse({ state: "gone" }).success).toBe(false);
  });
});
