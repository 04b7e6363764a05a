import { z } from "zod";
import { isBigintId, isStorableInstant } from "./ids";
import { queueNameSchema } from "./queue-name";
import { text } from "./text";

// Alarms over REST (issue 12 items 5 and 6): rules on the metrics the installation keeps, their
// history. Shared by the route handlers, the OpenAPI document and the console.

/**
 * What a rule watches; each fires while its value is above the threshold.
 * - backlogVisible / backlogTotal: messages visible / all messages of a queue (kept counts)
 * - oldestMessageAge: seconds since the oldest message of a queue was sent
 * - deadLetters: dead messages in a queue (a dead-letter queue that is not empty: threshold 0)
 * - pushFailureRate: failed HTTP pushes ÷ pushes in the window, in % (topic, subscription, account)
 * - apiErrorRate: failed API calls ÷ calls in the window, in % (account)
 * - dbDeadRows: dead rows of the message table; dbOldestTransaction: seconds the oldest open
 *   transaction has held the xmin horizon; dbConnectionUse: % of usable connections in use
 *   (the installation's database: account scope, and monitor:database to manage or see them)
 */
export const alarmKinds = [
  "backlogVisible",
  "backlogTotal",
  "oldestMessageAge",
  "deadLetters",
  "pushFailureRate",
  "apiErrorRate",
  "dbDeadRows",
  "dbOldestTransaction",
  "dbConnectionUse",
] as const;
export type AlarmKind = (typeof alarmKinds)[number];

export const queueAlarmKinds: readonly AlarmKind[] = [
  "backlogVisible",
  "backlogTotal",
  "oldestMessageAge",
  "deadLetters",
];
export const databaseAlarmKinds: readonly AlarmKind[] = ["dbDeadRows", "dbOldestTransaction", "dbConnectionUse"];
/** Kinds whose value is a rate over `windowSeconds`. */
export const windowedAlarmKinds: readonly AlarmKind[] = ["pushFailureRate", "apiErrorRate"];

export const alarmScopeTypes = ["queue", "topic", "subscription", "pattern", "account"] as const;
export type AlarmScopeType = (typeof alarmScopeTypes)[number];

/** The scopes each kind accepts. A pattern matches queue names (`*` any run of characters). */
export const scopesOfKind: Record<AlarmKind, readonly AlarmScopeType[]> = {
  backlogVisible: ["queue", "pattern", "account"],
  backlogTotal: ["queue", "pattern", "account"],
  oldestMessageAge: ["queue", "pattern", "account"],
  deadLetters: ["queue", "pattern", "account"],
  pushFailureRate: ["topic", "subscription", "account"],
  apiErrorRate: ["account"],
  dbDeadRows: ["account"],
  dbOldestTransaction: ["account"],
  dbConnectionUse: ["account"],
};

export const alarmStates = ["ok", "pending", "firing"] as const;
export type AlarmState = (typeof alarmStates)[number];

export const alarmLimits = {
  rulesPerAccount: 200,
  nameLength: 64,
  webhookUrlLength: 500,
  maxForSeconds: 86_400,
  minWindowSeconds: 60,
  maxWindowSeconds: 86_400,
} as const;

const namePattern = /^[a-zA-Z0-9][a-zA-Z0-9 _.-]*$/;
const alarmNameSchema = text()
  .min(1)
  .max(alarmLimits.nameLength)
  .regex(namePattern, "starts with a letter or digit; letters, digits, spaces, '-', '_' and '.' only");
const scopePatternSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[a-zA-Z0-9_*-]+$/, "letters, digits, '-', '_' and '*' only")
  .refine((p) => p.split("*").length - 1 <= 8, "at most 8 '*' in a pattern");

export const alarmScopeSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("queue"), queue: queueNameSchema }),
  z.strictObject({ type: z.literal("topic"), topic: queueNameSchema }),
  z.strictObject({ type: z.literal("subscription"), topic: queueNameSchema, subscription: queueNameSchema }),
  z.strictObject({ type: z.literal("pattern"), pattern: scopePatternSchema }),
  z.strictObject({ type: z.literal("account") }),
]);
export type AlarmScope = z.infer<typeof alarmScopeSchema>;

/** The webhook body's "alarm" object (README → Alarms → Webhook; lib/alarms/notify.ts). */
export type WebhookAlarm = {
  id: string | null;
  name: string;
  kind: AlarmKind | null;
  scope: AlarmScope;
  threshold: number;
  forSeconds: number | null;
  windowSeconds: number | null;
};

const webhookUrlSchema = text()
  .max(alarmLimits.webhookUrlLength)
  .refine((value) => {
    try {
      const url = new URL(value);
      return /^https?:$/.test(url.protocol) && /^https?:\/\//i.test(value) && url.hostname !== "" && !/\s/.test(value);
    } catch {
      return false;
    }
  }, "must be an http:// or https:// URL without blanks");

const ruleFields = {
  name: alarmNameSchema,
  kind: z.enum(alarmKinds),
  scope: alarmScopeSchema,
  threshold: z.number().finite().min(0).max(1e15),
  /** how long the condition must hold before the rule fires (0: at the first evaluation that sees it) */
  forSeconds: z.number().int().min(0).max(alarmLimits.maxForSeconds),
  /** the window of the rate kinds */
  windowSeconds: z.number().int().min(alarmLimits.minWindowSeconds).max(alarmLimits.maxWindowSeconds),
  /** where fire and resolve are POSTed, signed; null: console only */
  webhookUrl: webhookUrlSchema.nullable(),
  enabled: z.boolean(),
};

export const percentKinds: readonly AlarmKind[] = ["pushFailureRate", "apiErrorRate", "dbConnectionUse"];

function checkRule(rule: { kind?: AlarmKind; scope?: AlarmScope; threshold?: number }, ctx: z.RefinementCtx) {
  if (rule.kind && rule.scope && !scopesOfKind[rule.kind].includes(rule.scope.type)) {
    ctx.addIssue({
      code: "custom",
      path: ["scope", "type"],
      message: `a ${rule.kind} rule's scope is one of: ${scopesOfKind[rule.kind].join(", ")}`,
    });
  }
  if (rule.kind && rule.threshold !== undefined && percentKinds.includes(rule.kind) && rule.threshold > 100) {
    ctx.addIssue({ code: "custom", path: ["threshold"], message: "a percentage is at most 100" });
  }
}

export const createAlarmRuleSchema = z
  .strictObject({
    ...ruleFields,
    forSeconds: ruleFields.forSeconds.default(300),
    windowSeconds: ruleFields.windowSeconds.default(300),
    webhookUrl: ruleFields.webhookUrl.default(null),
    enabled: ruleFields.enabled.default(true),
  })
  .superRefine(checkRule);
export type CreateAlarmRuleInput = z.infer<typeof createAlarmRuleSchema>;

/** Kind and scope are fixed after creation (a rule's history is about one thing). */
export const updateAlarmRuleSchema = z
  .strictObject({
    name: ruleFields.name.optional(),
    threshold: ruleFields.threshold.optional(),
    forSeconds: ruleFields.forSeconds.optional(),
    windowSeconds: ruleFields.windowSeconds.optional(),
    webhookUrl: ruleFields.webhookUrl.optional(),
    enabled: ruleFields.enabled.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, "nothing to change");
export type UpdateAlarmRuleInput = z.infer<typeof updateAlarmRuleSchema>;

export const alarmRuleSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(alarmKinds),
  scope: alarmScopeSchema,
  threshold: z.number(),
  forSeconds: z.number().int(),
  windowSeconds: z.number().int(),
  webhookUrl: z.string().nullable(),
  enabled: z.boolean(),
  state: z.enum(alarmStates),
  stateSince: z.iso.datetime(),
  /** the value at the last evaluation (null: no data, e.g. no pushes in the window) */
  lastValue: z.number().nullable(),
  /** what the value was measured on (the worst queue of a pattern, …) */
  lastSubject: z.string().nullable(),
  evaluatedAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type AlarmRule = z.infer<typeof alarmRuleSchema>;

/** Creation answers the webhook secret once (null without a webhook); GET …/secret shows it again. */
export const createdAlarmRuleSchema = alarmRuleSchema.extend({ secret: z.string().nullable() });
export const alarmSecretSchema = z.object({ secret: z.string() });

export const listAlarmRulesQuerySchema = z.strictObject({
  state: z.enum(alarmStates).optional(),
});
export const alarmRuleListSchema = z.object({
  rules: z.array(alarmRuleSchema),
  /** rules firing now among those listed */
  firing: z.number().int(),
});
export type AlarmRuleList = z.infer<typeof alarmRuleListSchema>;

export const alarmIdParamsSchema = z.object({
  id: z.string().refine(isBigintId, "must be an alarm rule id as returned by the API"),
});

const isoInstant = z.iso
  .datetime({ offset: true })
  .refine(isStorableInstant, "must be a date between years 0001 and 9999");

export const listAlarmEventsQuerySchema = z.strictObject({
  rule: z.string().refine(isBigintId, "must be an alarm rule id").optional(),
  /** the state a transition led to */
  state: z.enum(alarmStates).optional(),
  from: isoInstant.optional(),
  to: isoInstant.optional(),
  /** an event id: events before it (newest first) */
  before: z.string().refine(isBigintId, "must be an event id").optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export type ListAlarmEventsQuery = z.infer<typeof listAlarmEventsQuerySchema>;

export const alarmAttemptSchema = z.object({
  attempt: z.number().int(),
  at: z.iso.datetime(),
  httpStatus: z.number().int().nullable(),
  error: z.string().nullable(),
  latencyMs: z.number().int(),
});

export const alarmEventSchema = z.object({
  id: z.string(),
  ruleId: z.string().nullable(),
  ruleName: z.string(),
  at: z.iso.datetime(),
  fromState: z.enum(alarmStates),
  toState: z.enum(alarmStates),
  value: z.number().nullable(),
  threshold: z.number(),
  subject: z.string().nullable(),
  message: z.string(),
  notifyStatus: z.enum(["none", "pending", "delivered", "failed"]),
  attempts: z.array(alarmAttemptSchema),
});
export type AlarmEvent = z.infer<typeof alarmEventSchema>;
export const alarmEventListSchema = z.object({
  events: z.array(alarmEventSchema),
  nextBefore: z.string().nullable(),
});
export type AlarmEventList = z.infer<typeof alarmEventListSchema>;
