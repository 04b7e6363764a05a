import { describe, expect, it } from "vitest";
import { safeCallbackUrl } from "./callback-url";

describe("safeCallbackUrl", () => {
  it("keeps paths on this site", () => {
    expect(safeCallbackUrl("/queues/orders?x=1")).toBe("/queues/orders?x=1");
    expect(safeCallbackUrl("http://localhost:3000/queues/a")).toBe("/queues/a");
  });

  it("falls back for missing or looping targets", () => {
    for (const raw of [undefined, "", "/login", "/login?callbackUrl=/x", "/api/v1/queues"]) {
      expect(safeCallbackUrl(raw)).toBe("/queues");
    }
  });

  it("never leaves this site: another host keeps only its path", () => {
    expect(safeCallbackUrl("https://evil.example/x")).toBe("/x");
    expect(safeCallbackUrl("//evil.example/x")).toBe("/x");
    expect(safeCallbackUrl("/\\evil.example/x")).toBe("/x");
  });
});
