import { type AppError, type CmqErrorCode, cmqNumbersOf } from "@/lib/errors";

/** An error in CMQ's terms: a coarse `code` and a module code shown as "(module)text", both from lib/errors.ts. */
export class CmqError extends Error {
  readonly code: number;
  readonly module: number;

  constructor(
    readonly errorCode: CmqErrorCode,
    text: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(text);
    const { cmqCode, cmqModule } = cmqNumbersOf(errorCode);
    this.code = cmqCode;
    this.module = cmqModule;
  }

  get cmqMessage(): string {
    return `(${this.module})${this.message}`;
  }
}

export const cmqErrors = {
  missingParam: (name: string) => new CmqError("PARAM_MISSING", `missing param ${name}`),
  badParam: (name: string, why: string) => new CmqError("INVALID_INPUT", `invalid param ${name}: ${why}`),
  repeatedParam: (name: string) => new CmqError("PARAM_REPEATED", `param ${name} is not repeatable`),
  notConsecutive: (name: string) => new CmqError("PARAM_NOT_CONSECUTIVE", `${name} parameter is not consequent`),
  batchSize: (name: string, max: number) =>
    new CmqError("BATCH_SIZE_INVALID", `the number of ${name} must be 1 to ${max}`),
  unknownAction: (action: string) => new CmqError("NOT_FOUND", `action name ${action} is not existed`),
  unsupportedAction: (action: string) =>
    new CmqError("NOT_FOUND", `action name ${action} is not supported by this server yet`),
  methodNotAllowed: () => new CmqError("METHOD_NOT_ALLOWED", "only GET or POST is supported"),
  requestTooLarge: () => new CmqError("REQUEST_TOO_LARGE", "request is larger than the limit"),
  tooManyParams: (max: number) => new CmqError("REQUEST_TOO_LARGE", `request has more than ${max} parameters`),
  requestTimeout: (ms: number) => new CmqError("REQUEST_TIMEOUT", `request body did not arrive within ${ms / 1000} s`),
  secretIdFormat: () => new CmqError("SECRET_ID_MALFORMED", "secretId doesn't begin with AKID"),
  secretIdUnknown: () => new CmqError("SECRET_ID_UNKNOWN", "secret id is not existed or is disabled"),
  authFailed: (why: string) => new CmqError("UNAUTHORIZED", `authentication failed: ${why}`),
  queueNameInvalid: () =>
    new CmqError(
      "QUEUE_NAME_INVALID",
      "queueName must start with a letter and hold only letters, digits, '-' and '_' (≤ 64)",
    ),
  deadLetterPolicyNotJson: () => new CmqError("DEAD_LETTER_POLICY_NOT_JSON", "deadLetterPolicy is not a JSON object"),
  deadLetterPolicyInvalid: (why: string) =>
    new CmqError("DEAD_LETTER_POLICY_INVALID", `invalid deadLetterPolicy: ${why}`),
  deadLetterQueueMissing: () =>
    new CmqError("DEAD_LETTER_QUEUE_MISSING", "deadLetterPolicy must name its deadLetterQueue"),
  deadLetterPolicyUnknown: () => new CmqError("DEAD_LETTER_POLICY_UNKNOWN", "deadLetterPolicy.policy must be 0 or 1"),
  noMessage: () => new CmqError("NO_MESSAGE", "no message"),
  receiptHandleInvalid: () =>
    new CmqError("RECEIPT_HANDLE_INVALID", "receipt handle is invalid or its lease has ended"),
  internal: () => new CmqError("INTERNAL", "internal server error; it has been logged, try again"),
};

/** The service layer's AppError in CMQ's terms, through the one error table. */
export function toCmqError(error: AppError): CmqError {
  return new CmqError(error.cmqAs ?? error.code, error.message);
}
