import { describe, expect, it } from "vitest";
import { errorResponse } from "./respond";
import { methodNotAllowed } from "./route";

// The REST error bodies built from the error table, byte for byte as clients read them.
const answer = async (response: Response) => [response.status, await response.text()];

describe("REST error responses", () => {
  it("answers a method a route does not serve 405 with Allow", async () => {
    const response = methodNotAllowed("GET", "POST")();
    expect(response.headers.get("allow")).toBe("GET, POST");
    expect(await answer(response)).toEqual([
      405,
      '{"error":{"code":"METHOD_NOT_ALLOWED","message":"This endpoint accepts GET, POST."}}',
    ]);
  });

  it("answers database errors as the service errors they stand for, and anything else 500", async () => {
    const foreignKey = Object.assign(new Error("violates foreign key constraint"), { code: "23503" });
    expect(await answer(errorResponse(foreignKey))).toEqual([
      404,
      '{"error":{"code":"QUEUE_NOT_FOUND","message":"The queue no longer exists."}}',
    ]);
    const outage = errorResponse(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }));
    expect(outage.headers.get("retry-after")).toBe("2");
    expect((await answer(outage))[0]).toBe(503);
    expect(await answer(errorResponse(new TypeError("a bug")))).toEqual([
      500,
      '{"error":{"code":"INTERNAL","message":"Internal server error. It has been logged; try again."}}',
    ]);
  });
});
