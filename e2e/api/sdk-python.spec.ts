import { expect, test, uniqueName } from "../fixtures";
import { pythonTranscript as transcript } from "../sdk/python-transcript";
import { lines, runPythonCheck } from "../sdk/sdks";

// Tencent's official Python SDK (../shared/sdks/cmq-python-sdk, unmodified) driven by
// e2e/sdk/python/check.py against the built server; its whole output is compared. The program
// prints facts, not ids or times, so the transcript is the same on every run.

test("Tencent's Python SDK: queue lifecycle, messages, rewind, @-prefixed batches, long polls, SHA1/SHA256, GET/POST, both paths, error codes", async ({
  owner,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const result = await runPythonCheck(
    { endpoint: String(baseURL), secretId: owner.secretId, secretKey: owner.secretKey },
    uniqueName("py"),
  );
  expect(result.stderr).toBe("");
  expect(lines(result.stdout)).toEqual(transcript);
  expect(result.code).toBe(0);
});
