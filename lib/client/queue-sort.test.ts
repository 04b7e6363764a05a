import { describe, expect, it } from "vitest";
import type { Queue } from "@/lib/schemas/queue";
import { ariaSortOf, defaultQueueSort, nextQueueSort, queueSortParams, ratesOf, readQueueSort } from "./queue-sort";

describe("the queue list's sort", () => {
  it("reads the URL; unknown keys or orders fall back", () => {
    expect(readQueueSort("", "")).toEqual(defaultQueueSort);
    expect(readQueueSort("sendRate", "asc")).toEqual({ key: "sendRate", order: "asc" });
    expect(readQueueSort("sendRate", "")).toEqual({ key: "sendRate", order: "desc" });
    expect(readQueueSort("name", "sideways")).toEqual({ key: "name", order: "asc" });
    expect(readQueueSort("NAME", "asc")).toEqual(defaultQueueSort);
    expect(readQueueSort("password", "asc")).toEqual(defaultQueueSort);
  });

  it("a new column starts in its natural order, the same column flips", () => {
    expect(nextQueueSort(defaultQueueSort, "name")).toEqual({ key: "name", order: "asc" });
    expect(nextQueueSort(defaultQueueSort, "backlog")).toEqual({ key: "backlog", order: "desc" });
    expect(nextQueueSort({ key: "backlog", order: "desc" }, "backlog")).toEqual({ key: "backlog", order: "asc" });
    expect(nextQueueSort(defaultQueueSort, "createdAt")).toEqual({ key: "createdAt", order: "asc" });
  });

  it("writes nothing to the URL for the default order", () => {
    expect(queueSortParams(defaultQueueSort)).toEqual({ sort: "", order: "" });
    expect(queueSortParams({ key: "createdAt", order: "asc" })).toEqual({ sort: "createdAt", order: "asc" });
    expect(queueSortParams({ key: "receiveRate", order: "desc" })).toEqual({ sort: "receiveRate", order: "desc" });
  });

  it("only the sorted column carries aria-sort", () => {
    expect(ariaSortOf({ key: "name", order: "asc" }, "name")).toBe("ascending");
    expect(ariaSortOf({ key: "name", order: "desc" }, "name")).toBe("descending");
    expect(ariaSortOf({ key: "name", order: "asc" }, "backlog")).toBeUndefined();
  });
});

describe("ratesOf", () => {
  const queue = {} as Queue;
  it("reads the rates when the server sends them, null otherwise", () => {
    const rates = { sendPerSecond: 2.5, receivePerSecond: 1, deletePerSecond: 0 };
    expect(ratesOf({ ...queue, rates } as Queue)).toEqual(rates);
    expect(ratesOf(queue)).toBeNull();
    expect(ratesOf({ ...queue, rates: { sendPerSecond: "fast" } } as unknown as Queue)).toBeNull();
  });
});
