import { describe, expect, it } from "vitest";
import { parseTrustedProxies, resolveClientAddress } from "./trusted-proxies";

describe("resolveClientAddress (X-Forwarded-For spoofing)", () => {
  const none = parseTrustedProxies(undefined);
  const proxies = parseTrustedProxies("10.0.0.0/8, 127.0.0.1, ::1");

  it("ignores a client's X-Forwarded-For when no proxy is trusted", () => {
    expect(resolveClientAddress("::ffff:203.0.113.9", "198.51.100.1", none)).toBe("203.0.113.9");
    expect(resolveClientAddress("127.0.0.1", "198.51.100.1", none)).toBe("127.0.0.1");
  });

  it("ignores X-Forwarded-For from a peer that is not a trusted proxy", () => {
    expect(resolveClientAddress("203.0.113.9", "198.51.100.1", proxies)).toBe("203.0.113.9");
  });

  it("takes the rightmost address no trusted proxy vouches for, whatever the client prepended", () => {
    expect(resolveClientAddress("::ffff:127.0.0.1", "198.51.100.1", proxies)).toBe("198.51.100.1");
    expect(resolveClientAddress("127.0.0.1", "6.6.6.6, 198.51.100.1, 10.1.2.3", proxies)).toBe("198.51.100.1");
    expect(resolveClientAddress("::1", "10.0.0.2,10.0.0.3", proxies)).toBe("10.0.0.2");
    expect(resolveClientAddress("127.0.0.1", "garbage, 10.0.0.3", proxies)).toBe("10.0.0.3");
    expect(resolveClientAddress("127.0.0.1", undefined, proxies)).toBe("127.0.0.1");
  });

  it("refuses a setting it cannot parse instead of trusting less or more than meant", () => {
    expect(() => parseTrustedProxies("10.0.0.0/33")).toThrow(/invalid prefix length/);
    expect(() => parseTrustedProxies("proxy.example")).toThrow(/not an IP address or CIDR/);
    expect(parseTrustedProxies(" , ").isEmpty).toBe(true);
  });
});
