import { describe, expect, it } from "vitest";
import { jsonNodeOf, parseJsonBody, prettyBody, summarizeNode } from "./message-body";

describe("message bodies in the detail panel", () => {
  it("treats only whole JSON objects and arrays as JSON", () => {
    expect(parseJsonBody(' {"a":1} ')).toEqual({ isJson: true, value: { a: 1 } });
    expect(parseJsonBody("[1,2]")).toEqual({ isJson: true, value: [1, 2] });
    expect(parseJsonBody("42")).toEqual({ isJson: false });
    expect(parseJsonBody('{"a":')).toEqual({ isJson: false });
    expect(parseJsonBody("plain text")).toEqual({ isJson: false });
  });

  it("pretty-prints JSON and leaves text alone", () => {
    expect(prettyBody('{"a":[1,{"b":null}]}')).toBe('{\n  "a": [\n    1,\n    {\n      "b": null\n    }\n  ]\n}');
    expect(prettyBody("not {json")).toBe("not {json");
  });

  it("describes tree nodes", () => {
    expect(jsonNodeOf({ a: 1, b: "x" })).toEqual({
      kind: "object",
      entries: [
        ["a", 1],
        ["b", "x"],
      ],
    });
    expect(summarizeNode(jsonNodeOf([7]))).toBe("1 item");
    expect(summarizeNode(jsonNodeOf({}))).toBe("0 keys");
    expect(jsonNodeOf('q"')).toEqual({ kind: "string", text: '"q\\""' });
    expect(jsonNodeOf(false)).toEqual({ kind: "boolean", text: "false" });
    expect(jsonNodeOf(null)).toEqual({ kind: "null", text: "null" });
  });
});
