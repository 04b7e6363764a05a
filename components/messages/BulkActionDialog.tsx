"use client";

import { type FormEvent, useId, useState } from "react";
import { QueuePicker } from "@/components/queues/QueuePicker";
import { Button } from "@/components/ui/Button";
import { Dialog } from "@/components/ui/Dialog";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { Field } from "@/components/ui/Field";
import { Spinner } from "@/components/ui/Spinner";
import { formatNumber } from "@/lib/client/format";
import { useCan } from "@/lib/client/me";
import { describeFilter, emptyBrowserFilter } from "@/lib/client/message-browser-filter";
import { type BulkAction, useDryRun, useStartOperation } from "@/lib/client/operations";
import type { Operation, OperationKind } from "@/lib/client/operator-contract";
import type { MessageFilter, MessageFilterState } from "@/lib/schemas/message-filter";
import { queueNamePattern } from "@/lib/schemas/queue";
import { OperationProgress } from "./OperationProgress";

const titles: Record<OperationKind, string> = {
  purge: "Purge messages",
  redrive: "Redrive messages",
  move: "Move messages",
  copy: "Copy messages",
};
const verbs: Record<OperationKind, string> = { purge: "Purge", redrive: "Redrive", move: "Move", copy: "Copy" };

type BulkActionDialogProps = {
  open: boolean;
  onClose: () => void;
  queueName: string;
  kind: OperationKind;
  filter: MessageFilter;
  /** The filter in words: "dead messages whose body contains “x”". */
  description: string;
  /** Purge only: ask first which state to purge (the queue page's purge control). */
  isStateChosen?: boolean;
};

/**
 * A purge, redrive, move or copy of everything a filter matches: choose the target (move, copy,
 * redrive), see the exact count from a dry run, confirm that count, then watch the operation.
 */
export function BulkActionDialog(props: BulkActionDialogProps) {
  return (
    <Dialog open={props.open} onClose={props.onClose} title={titles[props.kind]} testId="bulk-action-dialog">
      <BulkActionSteps {...props} />
    </Dialog>
  );
}

function BulkActionSteps({ onClose, queueName, kind, filter, description, isStateChosen }: BulkActionDialogProps) {
  const needsTarget = kind === "move" || kind === "copy";
  const [action, setAction] = useState<BulkAction | null>(kind === "purge" && !isStateChosen ? { kind, filter } : null);
  const [operation, setOperation] = useState<Operation | null>(null);
  if (operation) {
    return (
      <>
        <OperationProgress queueName={queueName} operation={operation} />
        <div className="dialog-footer">
          <Button onClick={onClose} data-testid="close-operation">
            Close
          </Button>
        </div>
      </>
    );
  }
  if (!action && kind === "purge") {
    return (
      <PurgeStateStep onCancel={onClose} onChosen={(state) => setAction({ kind, filter: { ...filter, state } })} />
    );
  }
  if (!action) {
    return (
      <TargetStep
        queueName={queueName}
        kind={kind}
        isRequired={needsTarget}
        onCancel={onClose}
        onChosen={(target, ratePerSecond) =>
          setAction(
            kind === "redrive"
              ? { kind, filter, target: target || undefined, ratePerSecond }
              : { kind: kind as "move" | "copy", filter, target },
          )
        }
      />
    );
  }
  return (
    <ConfirmStep
      queueName={queueName}
      action={action}
      description={isStateChosen ? describeFilter({ ...emptyBrowserFilter, state: action.filter.state }) : description}
      onBack={kind === "purge" && !isStateChosen ? onClose : () => setAction(null)}
      onStarted={setOperation}
    />
  );
}

const purgeStates: { value: MessageFilterState; label: string }[] = [
  { value: "all", label: "All messages" },
  { value: "visible", label: "Visible" },
  { value: "delayed", label: "Delayed" },
  { value: "inFlight", label: "In flight" },
  { value: "dead", label: "Dead (died in another queue)" },
  { value: "rewindable", label: "Rewindable (deleted, kept for rewind)" },
];

function PurgeStateStep({
  onCancel,
  onChosen,
}: {
  onCancel: () => void;
  onChosen: (state: MessageFilterState) => void;
}) {
  const [state, setState] = useState<MessageFilterState>("all");
  return (
    <form
      className="form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        onChosen(state);
      }}
    >
      <fieldset className="field fieldset-plain">
        <legend className="field-label">Which messages</legend>
        {purgeStates.map((option) => (
          <label key={option.value} className="radio-option">
            <input
              type="radio"
              name="purge-state"
              checked={state === option.value}
              onChange={() => setState(option.value)}
              data-testid={`purge-state-${option.value}`}
            />
            {option.label}
          </label>
        ))}
      </fieldset>
      <CountFooter onCancel={onCancel} />
    </form>
  );
}

function TargetStep({
  queueName,
  kind,
  isRequired,
  onCancel,
  onChosen,
}: {
  queueName: string;
  kind: OperationKind;
  isRequired: boolean;
  onCancel: () => void;
  onChosen: (target: string, ratePerSecond: number | undefined) => void;
}) {
  const { can, reason } = useCan();
  const [target, setTarget] = useState("");
  const [rate, setRate] = useState("");
  const [error, setError] = useState<string | null>(null);
  const idPrefix = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const name = target.trim();
    if (isRequired && !name) return setError("Choose the queue to send the messages to.");
    if (name && !queueNamePattern.test(name)) return setError("That is not a queue name.");
    if (name && name.toLowerCase() === queueName.toLowerCase()) return setError("Choose another queue than this one.");
    if (name && !can("queue:SendMessage", name)) return setError(reason("queue:SendMessage", name));
    const ratePerSecond = rate.trim() === "" ? undefined : Number(rate);
    if (
      ratePerSecond !== undefined &&
      !(Number.isInteger(ratePerSecond) && ratePerSecond >= 1 && ratePerSecond <= 10_000)
    ) {
      return setError("The rate is a whole number of messages per second, 1–10,000.");
    }
    onChosen(name, ratePerSecond);
  };
  return (
    <form onSubmit={submit} noValidate className="form">
      <Field
        id={`${idPrefix}-target`}
        label={kind === "redrive" ? "Redrive to" : "Target queue"}
        hint={kind === "redrive" ? "Leave empty to send each message back to the queue it died in." : undefined}
      >
        {(control) => (
          <QueuePicker
            {...control}
            value={target}
            onChange={(v) => {
              setTarget(v);
              setError(null);
            }}
            exclude={queueName}
            testId="bulk-target"
          />
        )}
      </Field>
      {kind === "redrive" && (
        <Field id={`${idPrefix}-rate`} label="Rate limit (messages per second)" hint="Empty: as fast as it goes.">
          {(control) => (
            <input
              {...control}
              className="input"
              type="number"
              min={1}
              max={10_000}
              value={rate}
              onChange={(e) => setRate(e.target.value)}
              data-testid="bulk-rate"
            />
          )}
        </Field>
      )}
      {error && (
        <p className="form-error" role="alert" data-testid="bulk-target-error">
          {error}
        </p>
      )}
      <CountFooter onCancel={onCancel} />
    </form>
  );
}

function ConfirmStep({
  queueName,
  action,
  description,
  onBack,
  onStarted,
}: {
  queueName: string;
  action: BulkAction;
  description: string;
  onBack: () => void;
  onStarted: (operation: Operation) => void;
}) {
  const dryRun = useDryRun(queueName, action);
  const start = useStartOperation(queueName);
  const count = dryRun.data?.count;
  const target = "target" in action ? action.target : undefined;
  const where =
    action.kind === "purge"
      ? "They are deleted for good (not kept for rewind)."
      : action.kind === "redrive"
        ? `They go ${target ? `to “${target}”` : "back to the queues they died in"}.`
        : `They go to “${target}”${action.kind === "copy" ? " as new copies; these stay" : ""}.`;
  return (
    <div>
      <p className="confirm-description">
        {verbs[action.kind]} {description} in “{queueName}”.
      </p>
      {dryRun.isPending ? (
        <Spinner label="Counting…" />
      ) : dryRun.isError ? (
        <ErrorBox error={dryRun.error} title="Could not count the messages" onRetry={() => dryRun.refetch()} />
      ) : (
        <p className="confirm-count" data-testid="dry-run-count" data-count={count}>
          Exactly <strong>{formatNumber(count ?? 0)}</strong> {count === 1 ? "message matches" : "messages match"} now.{" "}
          {where}
        </p>
      )}
      {start.error && <ErrorBox error={start.error} title="That did not work" />}
      <div className="dialog-footer">
        <Button onClick={onBack} disabled={start.isPending}>
          {action.kind === "purge" ? "Cancel" : "Back"}
        </Button>
        <Button
          variant={action.kind === "purge" ? "danger" : "primary"}
          disabled={count === undefined || count === 0}
          isPending={start.isPending}
          onClick={() => start.mutate(action, { onSuccess: onStarted })}
          data-testid="confirm-bulk"
        >
          {verbs[action.kind]} {formatNumber(count ?? 0)} {count === 1 ? "message" : "messages"}
        </Button>
      </div>
    </div>
  );
}

/** Both first steps end alike: cancel, or count what the action would touch (the dry run). */
function CountFooter({ onCancel }: { onCancel: () => void }) {
  return (
    <div className="dialog-footer">
      <Button onClick={onCancel}>Cancel</Button>
      <Button type="submit" variant="primary" data-testid="bulk-continue">
        Count messages
      </Button>
    </div>
  );
}
