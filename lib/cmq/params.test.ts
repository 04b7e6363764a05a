import { describe, expect, it } from "vitest";
import { CmqError } from "./errors";
import { CmqParams } from "./params";

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "latin1") : Buffer.from(p))));

function refusal(form: string | Uint8Array): { code: number; message: string } {
  try {
    CmqParams.parse(form);
  } catch (error) {
    if (error instanceof CmqError) return { code: error.code, message: error.cmqMessage };
    throw error;
  }
  throw new Error("accepted");
}

describe("CmqParams.parse", () => {
  it("decodes form encoding: '+' is a space, escapes are UTF-8, '=' may appear in values", () => {
    const params = CmqParams.parse(bytes("msgBody=a+b%2Bc%C3%A9%F0%9F%98%80=&Action=SendMessage&empty="));
    expect(params.entries).toEqual([
      ["msgBody", "a b+cé😀="],
      ["Action", "SendMessage"],
      ["empty", ""],
    ]);
  });

  it("accepts raw UTF-8 bytes in a POST body", () => {
    expect(CmqParams.parse(bytes("msgBody=", [0xc3, 0xa9])).optionalString("msgBody")).toBe("é");
  });

  it("refuses a NUL byte in a value, naming the parameter (was stored as a 6000)", () => {
    expect(refusal(bytes("Action=SendMessage&msgBody=a%00b"))).toEqual({
      code: 4000,
      message: "(10110)invalid param msgBody: must not contain NUL (U+0000)",
    });
  });

  it("refuses a NUL in a parameter name", () => {
    expect(refusal("a%00=1").message).toBe('(10110)invalid param "a\\u0000": name must not contain NUL');
  });

  it("refuses malformed percent-encoding instead of keeping it literally", () => {
    expect(refusal(bytes("msgBody=a%zzb")).message).toBe(
      "(10110)invalid param msgBody: is not valid percent-encoded UTF-8",
    );
    expect(refusal(bytes("msgBody=50%")).code).toBe(4000);
    expect(refusal(bytes("a%zz=1")).message).toBe("(10110)invalid param a%zz: name is not valid percent-encoded UTF-8");
  });

  it("refuses escapes that decode to invalid UTF-8 instead of storing U+FFFD", () => {
    for (const escaped of ["%FF", "%C3", "%ED%A0%80" /* a lone surrogate, CESU-8 */, "%C0%80" /* overlong NUL */]) {
      expect(refusal(`queueName=q&msgBody=a${escaped}b`).message).toBe(
        "(10110)invalid param msgBody: is not valid percent-encoded UTF-8",
      );
    }
  });

  it("refuses raw bytes that are not UTF-8, naming the parameter they are in", () => {
    expect(refusal(bytes("Action=SendMessage&msgBody=a", [0xff], "b&queueName=q")).message).toBe(
      "(10110)invalid param msgBody: is not valid UTF-8",
    );
    expect(refusal(bytes("Action=SendMessage&", [0xc3], "=1")).message).toBe(
      "(10110)invalid param (a parameter name): is not valid UTF-8",
    );
  });
});
