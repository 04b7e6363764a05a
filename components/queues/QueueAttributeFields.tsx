import { Field } from "@/components/ui/Field";
import {
  type AttributeKey,
  attributeFields,
  describeRange,
  describeValue,
  type QueueFormErrors,
  type QueueFormValues,
} from "@/lib/client/queue-form";
import { queueLimits } from "@/lib/schemas/queue";

type QueueAttributeFieldsProps = {
  values: QueueFormValues;
  errors: QueueFormErrors;
  onChange: (key: AttributeKey, value: string) => void;
  idPrefix: string;
};

/** The six attribute inputs, each with its meaning, range, default and a human reading of the value. */
export function QueueAttributeFields({ values, errors, onChange, idPrefix }: QueueAttributeFieldsProps) {
  return (
    <div className="field-grid">
      {attributeFields.map(({ key, label, help }) => {
        const n = Number(values[key]);
        // A reading only for a value the queue could take; out of range, the error says what is wrong.
        const isInRange = Number.isInteger(n) && n >= queueLimits[key].min && n <= queueLimits[key].max;
        const reading = values[key].trim() !== "" && isInRange ? describeValue(key, n) : null;
        return (
          <Field
            key={key}
            id={`${idPrefix}-${key}`}
            label={
              <>
                {label}
                {reading && <span className="field-reading">{reading}</span>}
              </>
            }
            hint={
              <>
                {help}
                <br />
                <span className="field-range" data-testid={`range-${key}`}>
                  {describeRange(key)}
                </span>
              </>
            }
            error={errors[key]}
          >
            {(control) => (
              <input
                {...control}
                className="input"
                type="number"
                inputMode="numeric"
                step={1}
                min={queueLimits[key].min}
                max={queueLimits[key].max}
                name={key}
                value={values[key]}
                onChange={(e) => onChange(key, e.target.value)}
                data-testid={`field-${key}`}
              />
            )}
          </Field>
        );
      })}
    </div>
  );
}
