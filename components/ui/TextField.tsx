import type { ReactNode } from "react";
import { Field } from "./Field";

/** The hint under every name field of a queue or topic. */
export const resourceNameHint =
  "1–64 characters: letters, digits, '-' and '_', starting with a letter. Unique in your account.";

type Props = {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  value: string;
  onChange: (value: string) => void;
  placeholder?: string;
  testId: string;
  /** Code-like values (routing keys): monospaced. */
  isCode?: boolean;
  className?: string;
  maxLength?: number;
};

/** A one-line input for names, tags and keys in a Field (label, hint and error wired up): no autocomplete, no spell-check. */
export function TextField({ id, label, hint, error, value, onChange, placeholder, testId, isCode, ...rest }: Props) {
  return (
    <Field id={id} label={label} hint={hint} error={error}>
      {(control) => (
        <input
          {...control}
          className={rest.className ?? (isCode ? "input mono" : "input")}
          autoComplete="off"
          spellCheck={false}
          maxLength={rest.maxLength}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          placeholder={placeholder}
          data-testid={testId}
        />
      )}
    </Field>
  );
}
