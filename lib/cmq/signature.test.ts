import { describe, expect, it } from "vitest";
import { hmacBase64, stringToSign } from "./signature";

// The official example of CMQ's signature document (reference/cmq-api.md §2.7).
const key = "pPgfLipfEXZ7VcRzhAMIyPaU7UbQyFFx";
const params: [string, string][] = [
  ["Action", "SendMessage"],
  ["Nonce", "2889712707386595659"],
  ["RequestClient", "SDK_Python_1.3"],
  ["SecretId", "AKIDPcYDclDJCn8D0Xypa4f3pKYUCVYLn3zT"],
  ["SignatureMethod", "HmacSHA1"],
  ["Timestamp", "1534154812"],
  ["clientRequestId", "1231231231"],
  ["delaySeconds", "0"],
  ["msgBody", "msg"],
  ["queueName", "test1"],
];
const expected =
  "POSTcmq-queue-gz.api.tencentyun.com/v2/index.php?Action=SendMessage&Nonce=2889712707386595659&RequestClient=SDK_Python_1.3&SecretId=AKIDPcYDclDJCn8D0Xypa4f3pKYUCVYLn3zT&SignatureMethod=HmacSHA1&Timestamp=1534154812&clientRequestId=1231231231&delaySeconds=0&msgBody=msg&queueName=test1";

describe("CMQ signature", () => {
  it("builds the documented string to sign, whatever the parameter order", () => {
    const shuffled = [...params].reverse();
    expect(
      stringToSign({
        method: "post",
        host: "cmq-queue-gz.api.tencentyun.com",
        path: "/v2/index.php",
        params: shuffled,
      }),
    ).toBe(expected);
  });

  it("matches the official HmacSHA1 and HmacSHA256 vectors", () => {
    expect(hmacBase64(expected, key, "HmacSHA1")).toBe("C16WEtEXsD5v5tnaUMLAbZewXhI=");
    expect(hmacBase64(expected, key, "HmacSHA256")).toBe("XPh4vnKmqz+7dMB5OVM7vodL3MunEEKMrHdwS9J2shk=");
    expect(hmacBase64(expected, key, "anything else")).toBe("C16WEtEXsD5v5tnaUMLAbZewXhI=");
  });

  it("replaces '_' in names with '.', sorts capitals first and leaves out Signature", () => {
    const text = stringToSign({
      method: "GET",
      host: "h:1",
      path: "/",
      params: [
        ["msgBody_1", "b"],
        ["Signature", "x"],
        ["Action", "A"],
        ["action", "a"],
      ],
    });
    expect(text).toBe("GETh:1/?Action=A&action=a&msgBody.1=b");
  });

  it("leaves out '@' values only in the Python/PHP variant", () => {
    const base = {
      method: "POST",
      host: "h",
      path: "/v2/index.php",
      params: [
        ["msgBody", "@at"],
        ["Action", "X"],
      ] as [string, string][],
    };
    expect(stringToSign(base)).toBe("POSTh/v2/index.php?Action=X&msgBody=@at");
    expect(stringToSign({ ...base, omitAtValues: true })).toBe("POSTh/v2/index.php?Action=X");
  });
});
