import { describe, expect, it } from "vitest";
import { decodeSegment } from "./url-segment";

describe("decodeSegment", () => {
  it("decodes %-escapes and keeps a malformed one as typed", () => {
    expect(decodeSegment("orders%2Deu")).toBe("orders-eu");
    expect(decodeSegment("100%")).toBe("100%");
    expect(decodeSegment("%E0%A4%A")).toBe("%E0%A4%A");
  });
});
