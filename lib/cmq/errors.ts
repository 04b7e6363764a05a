import { type AppError, errorTable } from "@/lib/errors";

/** An error in CMQ's terms: a coarse `code` and a module code shown as "(module)text". */
export class CmqError extends Error {
  constructor(
    readonly code: number,
    readonly module: number,
    text: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(text);
  }

  get cmqMessage(): string {
    return `(${this.module})${this.message}`;
  }
}

export const cmqErrors = {
  missingParam: (name: string) => new CmqError(4000, 10010, `missing param ${name}`),
  badParam: (name: string, why: string) => new CmqError(4000, 10110, `invalid param ${name}: ${why}`),
  repeatedParam: (name: string) => new CmqError(4000, 10330, `param ${name} is not repeatable`),
  notConsecutive: (name: string) => new CmqError(4000, 10380, `${name} parameter is not consequent`),
  batchSize: (name: string, max: number) => new CmqError(4000, 10370, `the number of ${name} must be 1 to ${max}`),
  unknownAction: (action: string) => new CmqError(4000, 10430, `action name ${action} is not existed`),
  unsupportedAction: (action: string) =>
    new CmqError(4000, 10430, `action name ${action} is not supported by this server yet`),
  methodNotAllowed: () => new CmqError(4000, 10410, "only GET or POST is supported"),
  requestTooLarge: () => new CmqError(4000, 10420, "request is larger than the limit"),
  tooManyParams: (max: number) => new CmqError(4000, 10420, `request has more than ${max} parameters`),
  requestTimeout: (ms: number) => new CmqError(4000, 10420, `request body did not arrive within ${ms / 1000} s`),
  secretIdFormat: () => new CmqError(4000, 10450, "secretId doesn't begin with AKID"),
  secretIdUnknown: () => new CmqError(4100, 10270, "secret id is not existed or is disabled"),
  authFailed: (why: string) => new CmqError(4100, 10030, `authentication failed: ${why}`),
  noMessage: () => new CmqError(7000, 10200, "no message"),
  internal: () => new CmqError(6000, 10050, "internal server error; it has been logged, try again"),
};

/** The service layer's AppError in CMQ's terms, through the one error table. */
export function toCmqError(error: AppError): CmqError {
  const entry = errorTable[error.code];
  return new CmqError(entry.cmqCode, entry.cmqModule, error.message);
}
