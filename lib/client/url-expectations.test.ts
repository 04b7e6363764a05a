import { describe, expect, it } from "vitest";
import { UrlExpectations } from "./url-expectations";

describe("UrlExpectations", () => {
  it("tells a requested value arriving from the URL changing by itself", () => {
    const url = new UrlExpectations("");
    expect(url.request("a")).toBe(true);
    expect(url.arrive("a")).toBe("requested");
    expect(url.arrive("a")).toBe("unchanged");
    expect(url.arrive("b")).toBe("external");
  });

  it("asks for nothing the URL holds already, unless another request is on its way", () => {
    const url = new UrlExpectations("a");
    expect(url.request("a")).toBe(false);
    expect(url.request("ab")).toBe(true);
    // Typed back to what the URL holds while "ab" travels: "a" must be asked for again, or "ab" wins.
    expect(url.request("a")).toBe(true);
    expect(url.arrive("ab")).toBe("requested");
    expect(url.arrive("a")).toBe("requested");
    expect(url.request("a")).toBe(false);
  });

  it("settles older requests when a newer one arrives (an overtaken navigation never arrives)", () => {
    const url = new UrlExpectations("");
    url.request("a");
    url.request("ab");
    url.request("abc");
    expect(url.arrive("ab")).toBe("requested");
    // "a" is settled: seen again later, it is a change the page did not ask for.
    expect(url.arrive("abc")).toBe("requested");
    expect(url.arrive("a")).toBe("external");
  });

  it("forgets what it waited for once the URL changes by itself", () => {
    const url = new UrlExpectations("");
    url.request("a");
    expect(url.arrive("z")).toBe("external");
    expect(url.arrive("a")).toBe("external");
    expect(url.request("a")).toBe(false);
    expect(url.request("z")).toBe(true);
  });
});
