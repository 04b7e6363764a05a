import type { ReactNode } from "react";

/** Stands where a control would be when the caller may not use it; the reason is its tooltip. */
export function DeniedNote({ reason, children, testId }: { reason: string; children: ReactNode; testId?: string }) {
  return (
    <span className="denied-note" title={reason} data-testid={testId}>
      <span className="denied-note-icon" aria-hidden="true" />
      {children}
      <span className="visually-hidden">: {reason}</span>
    </span>
  );
}
