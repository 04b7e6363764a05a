import { Spinner } from "./Spinner";

/** A panel the caller may not use: its title and why, in place of its controls. */
export function DeniedPanel({
  title,
  reason,
  isChecking,
  testId,
}: {
  title: string;
  reason: string;
  isChecking: boolean;
  testId: string;
}) {
  return (
    <section className="card card-padded">
      <div className="card-header">
        <h2 className="card-title">{title}</h2>
      </div>
      {isChecking ? (
        <Spinner label="Checking your access…" />
      ) : (
        <p className="muted" data-testid={testId}>
          {reason}
        </p>
      )}
    </section>
  );
}
