"use client";

import { Field } from "@/components/ui/Field";
import type { DeadLetterFormErrors, DeadLetterFormValues } from "@/lib/client/dead-letter-form";
import { deadLetterLimits } from "@/lib/client/operator-contract";
import { QueuePicker } from "./QueuePicker";

type DeadLetterFieldsProps = {
  idPrefix: string;
  sourceName: string;
  values: DeadLetterFormValues;
  errors: DeadLetterFormErrors;
  onChange: (key: keyof DeadLetterFormValues, value: string) => void;
};

/** The dead-letter queue (picked from the account's queues), CMQ's policy and its limit. */
export function DeadLetterFields({ idPrefix, sourceName, values, errors, onChange }: DeadLetterFieldsProps) {
  const hasQueue = values.queue.trim() !== "";
  // The one limit the chosen policy counts by.
  const limit =
    values.policy === "maxReceiveCount"
      ? {
          key: "maxReceiveCount" as const,
          id: "max-receive-count",
          label: "Max receives",
          hint: `${deadLetterLimits.maxReceiveCount.min}–${deadLetterLimits.maxReceiveCount.max}: the receive after this many moves the message.`,
        }
      : {
          key: "maxTimeToLive" as const,
          id: "max-time-to-live",
          label: "Time to live (seconds)",
          hint: "300–43,200 (5 min – 12 h) from the message's enqueue.",
        };
  return (
    <div className="field-grid" data-testid="dead-letter-fields">
      <Field
        id={`${idPrefix}-dlq`}
        label="Dead-letter queue"
        hint="An existing queue of this account that is not itself a dead-letter source; empty: none."
        error={errors.queue}
      >
        {(control) => (
          <QueuePicker
            {...control}
            value={values.queue}
            onChange={(v) => onChange("queue", v)}
            exclude={sourceName}
            testId="field-dead-letter-queue"
          />
        )}
      </Field>
      <fieldset className="field fieldset-plain" disabled={!hasQueue}>
        <legend className="field-label">Policy</legend>
        <label className="radio-option">
          <input
            type="radio"
            name={`${idPrefix}-policy`}
            checked={values.policy === "maxReceiveCount"}
            onChange={() => onChange("policy", "maxReceiveCount")}
            data-testid="field-policy-maxReceiveCount"
          />
          After too many receives without a delete
        </label>
        <label className="radio-option">
          <input
            type="radio"
            name={`${idPrefix}-policy`}
            checked={values.policy === "maxTimeToLive"}
            onChange={() => onChange("policy", "maxTimeToLive")}
            data-testid="field-policy-maxTimeToLive"
          />
          When not consumed in time
        </label>
      </fieldset>
      <Field id={`${idPrefix}-${limit.id}`} label={limit.label} hint={limit.hint} error={errors[limit.key]}>
        {(control) => (
          <input
            {...control}
            className="input"
            type="number"
            disabled={!hasQueue}
            min={deadLetterLimits[limit.key].min}
            max={deadLetterLimits[limit.key].max}
            value={values[limit.key]}
            onChange={(e) => onChange(limit.key, e.target.value)}
            data-testid={`field-${limit.key}`}
          />
        )}
      </Field>
    </div>
  );
}
