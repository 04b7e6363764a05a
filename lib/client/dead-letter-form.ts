import { queueNamePattern } from "@/lib/schemas/queue";
import { type DeadLetter, type DeadLetterPolicy, deadLetterLimits } from "./operator-contract";

// The dead-letter fields of the queue form: a DLQ (empty: none), CMQ's policy and its one limit.

export type DeadLetterFormValues = {
  queue: string;
  policy: DeadLetterPolicy;
  maxReceiveCount: string;
  maxTimeToLive: string;
};
export type DeadLetterFormErrors = Partial<Record<keyof DeadLetterFormValues, string>>;

export const emptyDeadLetterForm: DeadLetterFormValues = {
  queue: "",
  policy: "maxReceiveCount",
  maxReceiveCount: "5",
  maxTimeToLive: "3600",
};

export function deadLetterFormOf(deadLetter: DeadLetter | null): DeadLetterFormValues {
  if (!deadLetter) return emptyDeadLetterForm;
  return {
    queue: deadLetter.queue,
    policy: deadLetter.policy,
    maxReceiveCount: String(deadLetter.maxReceiveCount ?? emptyDeadLetterForm.maxReceiveCount),
    maxTimeToLive: String(deadLetter.maxTimeToLive ?? emptyDeadLetterForm.maxTimeToLive),
  };
}

/** The binding the form asks for (null: no dead-letter queue), or what is wrong with it. */
export function validateDeadLetterForm(
  values: DeadLetterFormValues,
  sourceName: string,
): { ok: true; deadLetter: DeadLetter | null } | { ok: false; errors: DeadLetterFormErrors } {
  const queue = values.queue.trim();
  if (queue === "") return { ok: true, deadLetter: null };
  const errors: DeadLetterFormErrors = {};
  if (!queueNamePattern.test(queue)) errors.queue = "Not a queue name.";
  else if (queue.toLowerCase() === sourceName.trim().toLowerCase()) {
    errors.queue = "A queue cannot be its own dead-letter queue.";
  }
  const key = values.policy;
  const { min, max } = deadLetterLimits[key];
  const n = Number(values[key]);
  if (values[key].trim() === "" || !Number.isInteger(n) || n < min || n > max) {
    errors[key] =
      key === "maxReceiveCount"
        ? `A whole number of receives, ${min}–${max}.`
        : `A whole number of seconds, ${min}–${max.toLocaleString("en-US")} (5 min – 12 h).`;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    deadLetter: {
      queue,
      policy: key,
      maxReceiveCount: key === "maxReceiveCount" ? n : null,
      maxTimeToLive: key === "maxTimeToLive" ? n : null,
    },
  };
}

/** "after 5 receives" / "when not consumed within 1 h". */
export function describeDeadLetterRule(deadLetter: DeadLetter, formatDuration: (s: number) => string): string {
  if (deadLetter.policy === "maxReceiveCount") {
    const n = deadLetter.maxReceiveCount ?? 0;
    return `after ${n} ${n === 1 ? "receive" : "receives"} without a delete`;
  }
  return `when not consumed within ${formatDuration(deadLetter.maxTimeToLive ?? 0)}`;
}

/** Whether the binding changed (the PATCH is sent only then). */
export const isSameDeadLetter = (a: DeadLetter | null, b: DeadLetter | null) =>
  JSON.stringify(a) === JSON.stringify(b) ||
  (!!a &&
    !!b &&
    a.queue.toLowerCase() === b.queue.toLowerCase() &&
    a.policy === b.policy &&
    a.maxReceiveCount === b.maxReceiveCount &&
    a.maxTimeToLive === b.maxTimeToLive);
