import { afterEach, describe, expect, it } from "vitest";
import { ApiError } from "./api-client";
import { currentConnection, isOutage, reportQueryError, reportQuerySuccess } from "./connection";

describe("connection", () => {
  afterEach(() => reportQuerySuccess());

  it("counts no answer and 5xx as an outage, never a 4xx", () => {
    expect(isOutage(new ApiError("NETWORK_ERROR", "x", 0))).toBe(true);
    expect(isOutage(new ApiError("UNAVAILABLE", "x", 503))).toBe(true);
    expect(isOutage(new ApiError("QUEUE_NOT_FOUND", "x", 404))).toBe(false);
    expect(isOutage(new Error("x"))).toBe(false);
  });

  it("remembers since when it fails, until a success", () => {
    reportQueryError(new ApiError("QUEUE_NOT_FOUND", "x", 404), 500);
    expect(currentConnection()).toEqual({ isFailing: false, failingSince: null });
    reportQueryError(new ApiError("NETWORK_ERROR", "x", 0), 1_000);
    reportQueryError(new ApiError("NETWORK_ERROR", "x", 0), 2_000);
    expect(currentConnection()).toEqual({ isFailing: true, failingSince: 1_000 });
    reportQuerySuccess();
    expect(currentConnection()).toEqual({ isFailing: false, failingSince: null });
  });
});
