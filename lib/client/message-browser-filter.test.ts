import { describe, expect, it } from "vitest";
import { messageFilterSchema } from "@/lib/schemas/message-filter";
import { peekQuerySchema } from "@/lib/schemas/peek";
import {
  describeFilter,
  emptyBrowserFilter,
  filterFromSearchParams,
  hasNarrowing,
  isoOfLocalInput,
  localInputOfIso,
  messageFilterOf,
  peekQueryOf,
  searchParamsWithFilter,
} from "./message-browser-filter";

describe("the message browser's filter in the URL", () => {
  it("round-trips through the query string, keeping other parameters and leaving defaults out", () => {
    const filter = {
      ...emptyBrowserFilter,
      state: "dead" as const,
      search: "time out & 100%",
      tag: "eu",
      id: "42",
      enqueuedFrom: "2026-11-01T00:00:00.000Z",
    };
    const params = searchParamsWithFilter(new URLSearchParams("message=7&state=visible"), filter);
    expect(params.get("message")).toBe("7");
    expect(filterFromSearchParams(new URLSearchParams(params.toString()))).toEqual(filter);
    expect(searchParamsWithFilter(new URLSearchParams("state=dead&search=x"), emptyBrowserFilter).toString()).toBe("");
  });

  it("ignores what it cannot read", () => {
    expect(filterFromSearchParams(new URLSearchParams("state=gone&id=12a&enqueuedFrom=soon&tag=%20x%20"))).toEqual({
      ...emptyBrowserFilter,
      tag: "x",
    });
  });

  it("sends what the server's schemas accept, and bulk actions act on the same filter", () => {
    const filter = { ...emptyBrowserFilter, state: "inFlight" as const, search: "abc", id: "9" };
    const query = Object.fromEntries(Object.entries(peekQueryOf(filter)).filter(([, v]) => v !== ""));
    expect(peekQuerySchema.parse(query)).toMatchObject({ state: "inFlight", search: "abc", id: "9" });
    expect(messageFilterSchema.parse(messageFilterOf(filter))).toEqual({
      state: "inFlight",
      search: "abc",
      ids: ["9"],
    });
    expect(messageFilterOf(emptyBrowserFilter)).toEqual({ state: "all" });
    expect(hasNarrowing(emptyBrowserFilter)).toBe(false);
    expect(hasNarrowing({ ...emptyBrowserFilter, tag: "t" })).toBe(true);
  });

  it("describes the filter for a confirmation", () => {
    expect(describeFilter(emptyBrowserFilter)).toBe("all messages");
    expect(describeFilter({ ...emptyBrowserFilter, state: "dead", search: "boom", tag: "eu" })).toBe(
      "dead messages whose body contains “boom”, tagged “eu”",
    );
  });

  it("converts date fields (the console's one format) in the chosen zone and back", () => {
    const iso = "2026-11-30T06:45:12.000Z";
    expect(localInputOfIso(iso, "utc")).toBe("2026-11-30 06:45:12");
    expect(isoOfLocalInput("2026-11-30 06:45:12", "utc")).toBe(iso);
    expect(isoOfLocalInput(localInputOfIso(iso))).toBe(iso);
    expect(localInputOfIso("")).toBe("");
    expect(isoOfLocalInput("")).toBe("");
    expect(isoOfLocalInput("nonsense")).toBe("");
  });
});
