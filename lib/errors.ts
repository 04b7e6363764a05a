// The one error table. Services throw AppError with a code from here; the REST adapter turns it
// into an HTTP status + { error: { code, message } }, the CMQ adapter into code + "(module)text".
// No code or module number is written anywhere else (errors.test.ts: each entry is answered somewhere).

export const errorTable = {
  INVALID_INPUT: { status: 400, cmqCode: 4000, cmqModule: 10110 },
  INVALID_JSON: { status: 400, cmqCode: 4000, cmqModule: 10420 },
  BATCH_SIZE_INVALID: { status: 400, cmqCode: 4000, cmqModule: 10370 },
  MESSAGE_BODY_EMPTY: { status: 400, cmqCode: 4000, cmqModule: 10120 },
  UNAUTHORIZED: { status: 401, cmqCode: 4100, cmqModule: 10030 },
  FORBIDDEN: { status: 403, cmqCode: 4000, cmqModule: 10461 },
  QUEUE_NOT_FOUND: { status: 404, cmqCode: 4440, cmqModule: 10100 },
  USER_NOT_FOUND: { status: 404, cmqCode: 4000, cmqModule: 10110 },
  API_KEY_NOT_FOUND: { status: 404, cmqCode: 4000, cmqModule: 10110 },
  NOT_FOUND: { status: 404, cmqCode: 4000, cmqModule: 10430 },
  MESSAGE_NOT_FOUND: { status: 404, cmqCode: 4000, cmqModule: 10110 },
  OPERATION_NOT_FOUND: { status: 404, cmqCode: 4000, cmqModule: 10110 },
  METHOD_NOT_ALLOWED: { status: 405, cmqCode: 4000, cmqModule: 10410 },
  QUEUE_EXISTS: { status: 409, cmqCode: 4460, cmqModule: 10220 },
  // Dead-letter binding refusals (reference/cmq-api.md §3): no chains, a bound DLQ stays, ≤ 6 sources.
  DEAD_LETTER_NESTED: { status: 409, cmqCode: 4000, cmqModule: 10740 },
  DEAD_LETTER_IN_USE: { status: 409, cmqCode: 4000, cmqModule: 10750 },
  DEAD_LETTER_SOURCES_EXCEEDED: { status: 409, cmqCode: 4000, cmqModule: 10780 },
  USER_EXISTS: { status: 409, cmqCode: 4000, cmqModule: 10110 },
  PASSWORD_INCORRECT: { status: 400, cmqCode: 4000, cmqModule: 10110 },
  RECEIPT_HANDLE_INVALID: { status: 409, cmqCode: 4430, cmqModule: 10260 },
  MESSAGE_VISIBLE: { status: 409, cmqCode: 4000, cmqModule: 10110 },
  REWIND_NOT_ENABLED: { status: 409, cmqCode: 6050, cmqModule: 10670 },
  REWIND_TIME_OUT_OF_RANGE: { status: 400, cmqCode: 4000, cmqModule: 10680 },
  MESSAGE_TOO_LARGE: { status: 413, cmqCode: 4400, cmqModule: 10230 },
  BATCH_TOO_LARGE: { status: 413, cmqCode: 4470, cmqModule: 10300 },
  REQUEST_TOO_LARGE: { status: 413, cmqCode: 4000, cmqModule: 10420 },
  REQUEST_TIMEOUT: { status: 408, cmqCode: 4000, cmqModule: 10420 },
  QUEUE_FULL: { status: 429, cmqCode: 4410, cmqModule: 10240 },
  QUEUE_LIMIT_EXCEEDED: { status: 429, cmqCode: 4450, cmqModule: 10220 },
  THROTTLED: { status: 429, cmqCode: 4420, cmqModule: 10250 },
  // Topics and subscriptions (reference/cmq-api.md §4, §5).
  TOPIC_NOT_FOUND: { status: 404, cmqCode: 4440, cmqModule: 10600 },
  TOPIC_EXISTS: { status: 409, cmqCode: 4460, cmqModule: 10220 },
  TOPIC_LIMIT_EXCEEDED: { status: 429, cmqCode: 4450, cmqModule: 10610 },
  TOPIC_HAS_SUBSCRIPTIONS: { status: 409, cmqCode: 4000, cmqModule: 10540 },
  SUBSCRIPTION_NOT_FOUND: { status: 404, cmqCode: 4440, cmqModule: 10600 },
  SUBSCRIPTION_EXISTS: { status: 409, cmqCode: 4490, cmqModule: 10470 },
  SUBSCRIPTION_LIMIT_EXCEEDED: { status: 429, cmqCode: 4500, cmqModule: 10480 },
  ENDPOINT_INVALID: { status: 400, cmqCode: 4000, cmqModule: 10500 },
  ENDPOINT_HAS_BLANKS: { status: 400, cmqCode: 4510, cmqModule: 10570 },
  QUEUE_SUBSCRIPTION_FORMAT: { status: 400, cmqCode: 4000, cmqModule: 10640 },
  BINDING_KEY_MISSING: { status: 400, cmqCode: 4000, cmqModule: 10710 },
  /** A publish to a topic without subscriptions, or that no subscription's filter matches: delivered nowhere. */
  PUBLISH_NO_SUBSCRIPTION: { status: 409, cmqCode: 6030, cmqModule: 10650 },
  PUBLISH_NO_MATCH: { status: 409, cmqCode: 6030, cmqModule: 10730 },
  // Alarm rules (issue 12).
  ALARM_NOT_FOUND: { status: 404, cmqCode: 4000, cmqModule: 10110 },
  ALARM_EXISTS: { status: 409, cmqCode: 4000, cmqModule: 10110 },
  ALARM_LIMIT_EXCEEDED: { status: 429, cmqCode: 4000, cmqModule: 10110 },
  INTERNAL: { status: 500, cmqCode: 6000, cmqModule: 10050 },
  UNAVAILABLE: { status: 503, cmqCode: 6000, cmqModule: 10050 },
} as const;

export type ErrorCode = keyof typeof errorTable;

/**
 * Errors of the CMQ protocol itself (its parameters, signatures, empty receives, batch deletes) and
 * CMQ's own refusals of queue names and dead-letter policies, which REST answers as INVALID_INPUT:
 * only the CMQ adapter answers these (lib/cmq/errors.ts).
 */
export const cmqProtocolErrorTable = {
  PARAM_MISSING: { cmqCode: 4000, cmqModule: 10010 },
  QUEUE_NAME_INVALID: { cmqCode: 4000, cmqModule: 10020 },
  DEAD_LETTER_POLICY_NOT_JSON: { cmqCode: 4000, cmqModule: 10710 },
  DEAD_LETTER_POLICY_INVALID: { cmqCode: 4000, cmqModule: 10720 },
  DEAD_LETTER_QUEUE_NOT_FOUND: { cmqCode: 4000, cmqModule: 10730 },
  DEAD_LETTER_QUEUE_MISSING: { cmqCode: 4000, cmqModule: 10760 },
  DEAD_LETTER_POLICY_UNKNOWN: { cmqCode: 4000, cmqModule: 10770 },
  REWIND_EXCEEDS_RETENTION: { cmqCode: 4000, cmqModule: 10700 },
  FILTER_TAGS_TOO_MANY: { cmqCode: 4000, cmqModule: 10670 },
  BINDING_KEYS_TOO_MANY: { cmqCode: 4000, cmqModule: 10680 },
  MSG_TAGS_TOO_MANY: { cmqCode: 4000, cmqModule: 10720 },
  PARAM_REPEATED: { cmqCode: 4000, cmqModule: 10330 },
  PARAM_NOT_CONSECUTIVE: { cmqCode: 4000, cmqModule: 10380 },
  SECRET_ID_MALFORMED: { cmqCode: 4000, cmqModule: 10450 },
  SECRET_ID_UNKNOWN: { cmqCode: 4100, cmqModule: 10270 },
  NO_MESSAGE: { cmqCode: 7000, cmqModule: 10200 },
  BATCH_DELETE_PARTIAL: { cmqCode: 6010, cmqModule: 10150 },
  BATCH_DELETE_FAILED: { cmqCode: 6020, cmqModule: 10290 },
} as const;

export type CmqErrorCode = ErrorCode | keyof typeof cmqProtocolErrorTable;

/** A code's CMQ code and module, from whichever table holds it. */
export const cmqNumbersOf = (code: CmqErrorCode): { cmqCode: number; cmqModule: number } =>
  code in cmqProtocolErrorTable
    ? cmqProtocolErrorTable[code as keyof typeof cmqProtocolErrorTable]
    : errorTable[code as ErrorCode];

export class AppError extends Error {
  /**
   * Where CMQ answers this refusal with a code of its own (a dead-letter queue that does not exist is
   * QUEUE_NOT_FOUND in REST but 10730 in CMQ), the CMQ adapter answers that code instead.
   */
  cmqAs?: keyof typeof cmqProtocolErrorTable;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "AppError";
  }

  get status(): number {
    return errorTable[this.code].status;
  }
}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError;
