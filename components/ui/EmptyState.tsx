import type { ReactNode } from "react";

type EmptyStateProps = { title: string; description?: ReactNode; action?: ReactNode; testId?: string };

export function EmptyState({ title, description, action, testId }: EmptyStateProps) {
  return (
    <div className="empty-state" data-testid={testId}>
      <p className="empty-state-title">{title}</p>
      {description && <p className="empty-state-description">{description}</p>}
      {action && <div className="empty-state-action">{action}</div>}
    </div>
  );
}
