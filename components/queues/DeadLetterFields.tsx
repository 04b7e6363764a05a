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
      {values.policy === "maxReceiveCount" ? (
        <Field
          id={`${idPrefix}-max-receive-count`}
          label="Max receives"
          hint={`${deadLetterLimits.maxReceiveCount.min}–${deadLetterLimits.maxReceiveCount.max}: the receive after this many moves the message.`}
          error={errors.maxReceiveCount}
        >
          {(control) => (
            <input
              {...control}
              className="input"
              type="number"
              disabled={!hasQueue}
              min={deadLetterLimits.maxReceiveCount.min}
              max={deadLetterLimits.maxReceiveCount.max}
              value={values.maxReceiveCount}
              onChange={(e) => onChange("maxReceiveCount", e.target.value)}
              data-testid="field-maxReceiveCount"
            />
          )}
        </Field>
      ) : (
        <Field
          id={`${idPrefix}-max-time-to-live`}
          label="Time to live (seconds)"
          hint="300–43,200 (5 min – 12 h) from the message's enqueue."
          error={errors.maxTimeToLive}
        >
          {(control) => (
            <input
              {...control}
              className="input"
              type="number"
              disabled={!hasQueue}
              min={deadLetterLimits.maxTimeToLive.min}
              max={deadLetterLimits.maxTimeToLive.max}
              value={values.maxTimeToLive}
              onChange={(e) => onChange("maxTimeToLive", e.target.value)}
              data-testid="field-maxTimeToLive"
            />
          )}
        </Field>
      )}
    </div>
  );
}
