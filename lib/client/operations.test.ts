import { describe, expect, it } from "vitest";
import { messageFilterSchema } from "@/lib/schemas/message-filter";
import { bulkRequestOf } from "./operations";

describe("bulk operation requests", () => {
  const filter = messageFilterSchema.parse({ state: "dead", search: "boom" });

  it("sends each kind to its contract path with only its own fields", () => {
    expect(bulkRequestOf("src", { kind: "purge", filter }, true)).toEqual({
      path: "/queues/src/purge",
      body: { filter, dryRun: true },
    });
    expect(bulkRequestOf("src", { kind: "redrive", filter }, false)).toEqual({
      path: "/queues/src/redrive",
      body: { filter },
    });
    expect(bulkRequestOf("src", { kind: "redrive", filter, target: "other", ratePerSecond: 50 }, false).body).toEqual({
      filter,
      target: "other",
      ratePerSecond: 50,
    });
    expect(bulkRequestOf("src", { kind: "move", filter, target: "t" }, false)).toEqual({
      path: "/queues/src/move",
      body: { filter, target: "t" },
    });
    expect(bulkRequestOf("a b", { kind: "copy", filter, target: "t" }, true)).toEqual({
      path: "/queues/a%20b/move",
      body: { filter, target: "t", copy: true, dryRun: true },
    });
  });
});
