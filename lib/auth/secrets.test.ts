import { describe, expect, it } from "vitest";
import { formatReceiptHandle, parseReceiptHandle } from "@/lib/services/receipt-handle";
import { generatePassword, hashPassword, verifyPassword } from "./passwords";
import { open, seal } from "./secret-box";

describe("secret box", () => {
  it("round-trips and never stores the plaintext", () => {
    const sealed = seal("my-secret-key");
    expect(sealed).not.toContain("my-secret-key");
    expect(open(sealed)).toBe("my-secret-key");
    expect(seal("my-secret-key")).not.toBe(sealed);
  });

  it("refuses a tampered ciphertext", () => {
    const sealed = seal("abc");
    const parts = sealed.split(".");
    const data = Buffer.from(parts[3] ?? "", "base64url");
    data[0] = (data[0] ?? 0) ^ 1;
    parts[3] = data.toString("base64url");
    expect(() => open(parts.join("."))).toThrow();
  });
});

describe("passwords", () => {
  it("verifies the right password only", async () => {
    const password = generatePassword();
    const hash = await hashPassword(password);
    expect(hash).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(hash).not.toContain(password);
    expect(await verifyPassword(password, hash)).toBe(true);
    expect(await verifyPassword(`${password}x`, hash)).toBe(false);
    expect(await verifyPassword(password, "garbage")).toBe(false);
  });
});

describe("receipt handles", () => {
  it("round-trip and fit CMQ's alphabet", () => {
    const handle = formatReceiptHandle("12345", "0f8fad5b-d9cb-469f-a165-70867728950e");
    expect(handle).toBe("12345:0f8fad5bd9cb469fa16570867728950e");
    expect(handle).toMatch(/^[a-zA-Z0-9%#:_-]{1,256}$/);
    expect(parseReceiptHandle(handle)).toEqual({ id: "12345", receipt: "0f8fad5b-d9cb-469f-a165-70867728950e" });
  });

  it("rejects anything else", () => {
    for (const bad of [
      "",
      "abc",
      "1:xyz",
      "1:0f8fad5bd9cb469fa16570867728950",
      "99999999999999999999:0f8fad5bd9cb469fa16570867728950e",
      "-1:0f8fad5bd9cb469fa16570867728950e",
    ]) {
      expect(parseReceiptHandle(bad)).toBeNull();
    }
  });
});
