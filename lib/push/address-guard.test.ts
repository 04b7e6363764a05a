import { describe, expect, it } from "vitest";
import { internalAddressKind, ipv6Bytes, refusalOf } from "./address-guard";

describe("push address guard", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["127.255.255.254", "loopback"],
    ["10.0.0.1", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["169.254.169.254", "link-local"],
    ["0.0.0.0", "unspecified"],
    ["100.64.0.1", "shared (carrier-grade NAT)"],
    ["224.0.0.1", "multicast"],
    ["255.255.255.255", "reserved"],
    ["::1", "loopback"],
    ["::", "unspecified"],
    ["fc00::1", "private (unique local)"],
    ["fd12:3456::1", "private (unique local)"],
    ["fe80::1", "link-local"],
    ["fe80::1%eth0", "link-local"],
    ["ff02::1", "multicast"],
    // IPv6 forms that carry an internal IPv4 address
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["::ffff:169.254.169.254", "link-local"],
    ["::ffff:a00:1", "private"],
    ["::127.0.0.1", "loopback"],
    ["64:ff9b::a9fe:a9fe", "link-local"],
    ["2002:7f00:1::1", "loopback"],
    ["[::1]", "loopback"],
  ])("%s is %s", (address, kind) => {
    expect(internalAddressKind(address)).toBe(kind);
  });

  it.each([
    "8.8.8.8",
    "1.1.1.1",
    "172.32.0.1",
    "172.15.255.255",
    "192.169.0.1",
    "169.255.0.1",
    "11.0.0.1",
    "2606:4700:4700::1111",
    "::ffff:8.8.8.8",
    "2002:808:808::1",
  ])("%s is public", (address) => {
    expect(internalAddressKind(address)).toBeNull();
  });

  it("expands IPv6 text to its 16 bytes", () => {
    expect(ipv6Bytes("::1")).toEqual([...Array(15).fill(0), 1]);
    expect(ipv6Bytes("2001:db8::ff00:42:8329")).toEqual([
      0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0xff, 0x00, 0x00, 0x42, 0x83, 0x29,
    ]);
    expect(ipv6Bytes("::ffff:1.2.3.4").slice(10)).toEqual([0xff, 0xff, 1, 2, 3, 4]);
  });

  it("refuses with a reason unless the installation allows private addresses", () => {
    expect(refusalOf("10.0.0.1", 80, { allowPrivate: false })).toBe(
      "refused: 10.0.0.1 is a private address (OPENCMQ_PUSH_ALLOW_PRIVATE is off)",
    );
    expect(refusalOf("10.0.0.1", 80, { allowPrivate: true })).toBeNull();
    expect(refusalOf("8.8.8.8", 443, { allowPrivate: false })).toBeNull();
    expect(refusalOf("not-an-ip", 80, { allowPrivate: false })).toMatch(/not an IP address/);
  });

  it("the tests' exact allowance covers one address and port, nothing near it", () => {
    const policy = { allowPrivate: false, allowExactly: [{ address: "127.0.0.1", port: 4000 }] };
    expect(refusalOf("127.0.0.1", 4000, policy)).toBeNull();
    expect(refusalOf("127.0.0.1", 4001, policy)).toMatch(/loopback/);
    expect(refusalOf("127.0.0.2", 4000, policy)).toMatch(/loopback/);
    expect(refusalOf("::1", 4000, policy)).toMatch(/loopback/);
  });
});
