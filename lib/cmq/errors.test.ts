import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { cmqErrors, toCmqError } from "./errors";

// CMQ's codes and modules as clients and SDKs match them (reference/cmq-api.md §5): written out here
// once more on purpose, so a change to the table that would change an answer shows.
describe("CMQ errors", () => {
  it("answer CMQ's code and (module)text", () => {
    const answers = [
      cmqErrors.missingParam("queueName"),
      cmqErrors.badParam("limit", "must be an integer"),
      cmqErrors.repeatedParam("queueName"),
      cmqErrors.notConsecutive("msgBody"),
      cmqErrors.batchSize("numOfMsg", 16),
      cmqErrors.unknownAction("Frob"),
      cmqErrors.methodNotAllowed(),
      cmqErrors.requestTooLarge(),
      cmqErrors.secretIdFormat(),
      cmqErrors.secretIdUnknown(),
      cmqErrors.authFailed("signature mismatch"),
      cmqErrors.queueNameInvalid(),
      cmqErrors.deadLetterPolicyNotJson(),
      cmqErrors.deadLetterPolicyInvalid("maxReceiveCount must be 1 to 1000"),
      cmqErrors.deadLetterQueueMissing(),
      cmqErrors.deadLetterPolicyUnknown(),
      cmqErrors.noMessage(),
      cmqErrors.receiptHandleInvalid(),
      cmqErrors.internal(),
      toCmqError(new AppError("QUEUE_NOT_FOUND", 'Queue "q" does not exist.')),
      toCmqError(new AppError("THROTTLED", "Too many.")),
      toCmqError(new AppError("UNAVAILABLE", "Down.")),
      toCmqError(
        Object.assign(new AppError("QUEUE_NOT_FOUND", 'Queue "d" does not exist.'), {
          cmqAs: "DEAD_LETTER_QUEUE_NOT_FOUND" as const,
        }),
      ),
      toCmqError(new AppError("DEAD_LETTER_NESTED", "Nested.")),
      toCmqError(new AppError("DEAD_LETTER_IN_USE", "In use.")),
      toCmqError(new AppError("DEAD_LETTER_SOURCES_EXCEEDED", "Too many sources.")),
    ].map((e) => [e.code, e.cmqMessage]);
    expect(answers).toEqual([
      [4000, "(10010)missing param queueName"],
      [4000, "(10110)invalid param limit: must be an integer"],
      [4000, "(10330)param queueName is not repeatable"],
      [4000, "(10380)msgBody parameter is not consequent"],
      [4000, "(10370)the number of numOfMsg must be 1 to 16"],
      [4000, "(10430)action name Frob is not existed"],
      [4000, "(10410)only GET or POST is supported"],
      [4000, "(10420)request is larger than the limit"],
      [4000, "(10450)secretId doesn't begin with AKID"],
      [4100, "(10270)secret id is not existed or is disabled"],
      [4100, "(10030)authentication failed: signature mismatch"],
      [4000, "(10020)queueName must start with a letter and hold only letters, digits, '-' and '_' (≤ 64)"],
      [4000, "(10710)deadLetterPolicy is not a JSON object"],
      [4000, "(10720)invalid deadLetterPolicy: maxReceiveCount must be 1 to 1000"],
      [4000, "(10760)deadLetterPolicy must name its deadLetterQueue"],
      [4000, "(10770)deadLetterPolicy.policy must be 0 or 1"],
      [7000, "(10200)no message"],
      [4430, "(10260)receipt handle is invalid or its lease has ended"],
      [6000, "(10050)internal server error; it has been logged, try again"],
      [4440, '(10100)Queue "q" does not exist.'],
      [4420, "(10250)Too many."],
      [6000, "(10050)Down."],
      [4000, '(10730)Queue "d" does not exist.'],
      [4000, "(10740)Nested."],
      [4000, "(10750)In use."],
      [4000, "(10780)Too many sources."],
    ]);
  });
});
