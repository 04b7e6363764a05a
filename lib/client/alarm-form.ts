import {
  type AlarmKind,
  type AlarmRule,
  type AlarmScopeType,
  type CreateAlarmRuleInput,
  createAlarmRuleSchema,
  scopesOfKind,
  type UpdateAlarmRuleInput,
  windowedAlarmKinds,
} from "@/lib/schemas/alarm";

// The alarm rule form (components/alarms/AlarmRuleDialog.tsx), pure: its values are text as typed;
// validateAlarmForm turns them into the API's input with the API's own schema, so the console and
// the server refuse the same values.

export type AlarmFormValues = {
  name: string;
  kind: AlarmKind;
  scopeType: AlarmScopeType;
  queue: string;
  topic: string;
  subscription: string;
  pattern: string;
  threshold: string;
  forSeconds: string;
  windowSeconds: string;
  webhookUrl: string;
  enabled: boolean;
};
export const alarmFormFields = [
  "name",
  "kind",
  "scope",
  "threshold",
  "forSeconds",
  "windowSeconds",
  "webhookUrl",
] as const;
export type AlarmFormErrors = Partial<Record<(typeof alarmFormFields)[number] | "form", string>>;

export const kindInfo: Record<AlarmKind, { label: string; unit: string; hint: string }> = {
  backlogVisible: { label: "Backlog: visible messages", unit: "messages", hint: "Messages ready to be received." },
  backlogTotal: { label: "Backlog: all messages", unit: "messages", hint: "Visible, in flight and delayed." },
  oldestMessageAge: {
    label: "Oldest message age",
    unit: "seconds",
    hint: "Seconds since the oldest message was sent.",
  },
  deadLetters: { label: "Dead letters", unit: "messages", hint: "Dead messages in a queue; threshold 0: not empty." },
  pushFailureRate: { label: "Push failure rate", unit: "%", hint: "Failed HTTP pushes ÷ pushes in the window." },
  apiErrorRate: { label: "API error rate", unit: "%", hint: "Failed API calls ÷ calls in the window." },
  dbDeadRows: { label: "Database: dead rows of the message table", unit: "rows", hint: "Rows waiting for vacuum." },
  dbOldestTransaction: {
    label: "Database: oldest open transaction",
    unit: "seconds",
    hint: "How long the oldest open transaction has held vacuum back.",
  },
  dbConnectionUse: { label: "Database: connection use", unit: "%", hint: "Connections in use ÷ usable connections." },
};

export const scopeInfo: Record<AlarmScopeType, string> = {
  queue: "One queue",
  topic: "One topic",
  subscription: "One subscription",
  pattern: "Queues matching a name pattern",
  account: "The whole account",
};

export const emptyAlarmForm = (): AlarmFormValues => ({
  name: "",
  kind: "backlogVisible",
  scopeType: "queue",
  queue: "",
  topic: "",
  subscription: "",
  pattern: "",
  threshold: "1000",
  forSeconds: "300",
  windowSeconds: "300",
  webhookUrl: "",
  enabled: true,
});

export function alarmFormFrom(rule: AlarmRule): AlarmFormValues {
  const scope = rule.scope;
  return {
    name: rule.name,
    kind: rule.kind,
    scopeType: scope.type,
    queue: scope.type === "queue" ? scope.queue : "",
    topic: scope.type === "topic" || scope.type === "subscription" ? scope.topic : "",
    subscription: scope.type === "subscription" ? scope.subscription : "",
    pattern: scope.type === "pattern" ? scope.pattern : "",
    threshold: String(rule.threshold),
    forSeconds: String(rule.forSeconds),
    windowSeconds: String(rule.windowSeconds),
    webhookUrl: rule.webhookUrl ?? "",
    enabled: rule.enabled,
  };
}

/** A kind change keeps the scope when the new kind accepts it, else takes the kind's first. */
export function withKind(values: AlarmFormValues, kind: AlarmKind): AlarmFormValues {
  const scopes = scopesOfKind[kind];
  return {
    ...values,
    kind,
    scopeType: scopes.includes(values.scopeType) ? values.scopeType : (scopes[0] ?? "account"),
  };
}

export const isWindowed = (kind: AlarmKind) => windowedAlarmKinds.includes(kind);

const numberOf = (text: string) => (text.trim() === "" ? Number.NaN : Number(text.trim()));

function scopeOf(values: AlarmFormValues) {
  switch (values.scopeType) {
    case "queue":
      return { type: "queue", queue: values.queue.trim() };
    case "topic":
      return { type: "topic", topic: values.topic.trim() };
    case "subscription":
      return { type: "subscription", topic: values.topic.trim(), subscription: values.subscription.trim() };
    case "pattern":
      return { type: "pattern", pattern: values.pattern.trim() };
    default:
      return { type: "account" };
  }
}

export function validateAlarmForm(
  values: AlarmFormValues,
): { ok: true; input: CreateAlarmRuleInput } | { ok: false; errors: AlarmFormErrors } {
  const result = createAlarmRuleSchema.safeParse({
    name: values.name.trim(),
    kind: values.kind,
    scope: scopeOf(values),
    threshold: numberOf(values.threshold),
    forSeconds: numberOf(values.forSeconds),
    windowSeconds: isWindowed(values.kind) ? numberOf(values.windowSeconds) : 300,
    webhookUrl: values.webhookUrl.trim() === "" ? null : values.webhookUrl.trim(),
    enabled: values.enabled,
  });
  if (result.success) return { ok: true, input: result.data };
  const errors: AlarmFormErrors = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? "form") as keyof AlarmFormErrors;
    const message =
      issue.code === "invalid_type" && (field === "threshold" || field === "forSeconds" || field === "windowSeconds")
        ? "Enter a number."
        : issue.message;
    errors[field] ??= message;
  }
  return { ok: false, errors };
}

/** What an edit changes (kind and scope are fixed once a rule exists). */
export function changedAlarmRule(rule: AlarmRule, input: CreateAlarmRuleInput): UpdateAlarmRuleInput {
  const changes: UpdateAlarmRuleInput = {};
  if (input.name !== rule.name) changes.name = input.name;
  if (input.threshold !== rule.threshold) changes.threshold = input.threshold;
  if (input.forSeconds !== rule.forSeconds) changes.forSeconds = input.forSeconds;
  if (isWindowed(rule.kind) && input.windowSeconds !== rule.windowSeconds) changes.windowSeconds = input.windowSeconds;
  if (input.webhookUrl !== rule.webhookUrl) changes.webhookUrl = input.webhookUrl;
  if (input.enabled !== rule.enabled) changes.enabled = input.enabled;
  return changes;
}

/** "orders", "orders/sub-1", "orders-*", "account" */
export function scopeLabel(rule: Pick<AlarmRule, "scope">): string {
  const scope = rule.scope;
  switch (scope.type) {
    case "queue":
      return `queue ${scope.queue}`;
    case "topic":
      return `topic ${scope.topic}`;
    case "subscription":
      return `subscription ${scope.topic}/${scope.subscription}`;
    case "pattern":
      return `queues ${scope.pattern}`;
    default:
      return "account";
  }
}

/** "> 100 messages for 5 min" */
export function conditionLabel(rule: Pick<AlarmRule, "kind" | "threshold" | "forSeconds" | "windowSeconds">): string {
  const { unit } = kindInfo[rule.kind];
  const over = isWindowed(rule.kind) ? ` over ${durationLabel(rule.windowSeconds)}` : "";
  const held = rule.forSeconds > 0 ? ` for ${durationLabel(rule.forSeconds)}` : "";
  return `> ${rule.threshold}${unit === "%" ? " %" : ` ${unit}`}${over}${held}`;
}

export function durationLabel(seconds: number): string {
  if (seconds % 3600 === 0 && seconds >= 3600) return `${seconds / 3600} h`;
  if (seconds % 60 === 0 && seconds >= 60) return `${seconds / 60} min`;
  return `${seconds} s`;
}
