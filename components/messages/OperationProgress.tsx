"use client";

import { Badge, type BadgeTone } from "@/components/ui/Badge";
import { Button } from "@/components/ui/Button";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { formatNumber } from "@/lib/client/format";
import { useCancelOperation, useOperation } from "@/lib/client/operations";
import { isOperationFinished, type Operation } from "@/lib/client/operator-contract";

const statusTone: Record<Operation["status"], BadgeTone> = {
  pending: "neutral",
  running: "blue",
  done: "green",
  failed: "red",
  cancelled: "amber",
};

export const operationVerb: Record<Operation["kind"], string> = {
  purge: "Purged",
  redrive: "Redriven",
  move: "Moved",
  copy: "Copied",
};

/** An operation's progress, polled until it finishes; running ones can be cancelled. */
export function OperationProgress({ queueName, operation }: { queueName: string; operation: Operation }) {
  const query = useOperation(queueName, isOperationFinished(operation) ? null : operation.id);
  const cancel = useCancelOperation(queueName);
  const current = query.data ?? operation;
  const percent = current.total > 0 ? Math.min(100, Math.round((current.processed / current.total) * 100)) : 100;
  return (
    <div className="operation-progress" data-testid="operation-progress" data-status={current.status}>
      <div className="operation-progress-head">
        <Badge tone={statusTone[current.status]} data-testid="operation-status">
          {current.status}
        </Badge>
        <span data-testid="operation-processed">
          {operationVerb[current.kind]} {formatNumber(current.processed)} of {formatNumber(current.total)}
        </span>
        {current.skipped > 0 && (
          <span className="muted small" data-testid="operation-skipped">
            · {formatNumber(current.skipped)} skipped (redriven 10 times already)
          </span>
        )}
      </div>
      <progress className="operation-bar" max={100} value={percent} aria-label={`${percent}% done`} />
      {current.error && <p className="form-error">{current.error}</p>}
      {cancel.error && <ErrorBox error={cancel.error} title="Could not cancel" />}
      {!isOperationFinished(current) && (
        <Button
          size="sm"
          onClick={() => cancel.mutate(current.id)}
          isPending={cancel.isPending}
          data-testid="cancel-operation"
        >
          Cancel
        </Button>
      )}
    </div>
  );
}
