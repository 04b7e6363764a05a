import { describe, expect, it } from "vitest";
import { readFilter, writeFilter } from "./url-filter";

const defaults = { search: "", offset: "0", state: "all" };

describe("readFilter / writeFilter", () => {
  it("reads what the URL holds and defaults the rest", () => {
    expect(readFilter(new URLSearchParams("search=orders&junk=1"), defaults)).toEqual({
      search: "orders",
      offset: "0",
      state: "all",
    });
  });

  it("leaves defaults and blanks out of the URL, trims, and keeps parameters it does not own", () => {
    const params = writeFilter(
      new URLSearchParams("other=x&offset=40"),
      { search: "  a b ", offset: "0", state: "dead" },
      defaults,
    );
    expect(params.toString()).toBe("other=x&search=a+b&state=dead");
  });

  it("round-trips", () => {
    const values = { search: "50% off & more", offset: "20", state: "inFlight" };
    expect(readFilter(writeFilter(new URLSearchParams(), values, defaults), defaults)).toEqual(values);
  });
});
