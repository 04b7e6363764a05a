import { CopyButton } from "./CopyButton";

/** A value to copy once: label, the value in monospace (selectable), and a copy button. */
export function SecretField({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="secret-field">
      <span className="secret-field-label">{label}</span>
      <div className="secret-field-row">
        <code className="secret-field-value" data-testid={testId}>
          {value}
        </code>
        <CopyButton value={value} testId={`${testId}-copy`} />
      </div>
    </div>
  );
}
