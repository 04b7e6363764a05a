"use client";

import { type FormEvent, useId, useState } from "react";
import { Button } from "@/components/ui/Button";
import { ConfirmDialog } from "@/components/ui/ConfirmDialog";
import { DeniedNote } from "@/components/ui/DeniedNote";
import { Dialog } from "@/components/ui/Dialog";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { Field } from "@/components/ui/Field";
import type { Permission } from "@/lib/auth/permissions";
import { formatDateTime, formatDuration } from "@/lib/client/format";
import { useCan } from "@/lib/client/me";
import { useChangeVisibility, useDeleteMessage } from "@/lib/client/messages";
import type { OperationKind } from "@/lib/client/operator-contract";
import type { PeekedMessage } from "@/lib/schemas/peek";
import { BulkActionDialog } from "./BulkActionDialog";

type Open = "delete" | "visibility" | OperationKind | null;

/** What an operator can do to one message, each behind its permission (hidden reasons as tooltips). */
export function MessageActions({
  queueName,
  message,
  onGone,
}: {
  queueName: string;
  message: PeekedMessage;
  onGone?: () => void;
}) {
  const { can, reason, isLoading } = useCan();
  const [open, setOpen] = useState<Open>(null);
  const remove = useDeleteMessage(queueName);
  if (isLoading) return null;
  if (message.state === "rewindable") {
    return (
      <p className="muted small" data-testid="rewindable-note">
        A deleted message kept for rewind: rewind the queue to a time before it was produced to deliver it again.
      </p>
    );
  }
  const gate = (permission: Permission, label: string, onClick: () => void, testId: string) =>
    can(permission, queueName) ? (
      <Button size="sm" onClick={onClick} data-testid={testId}>
        {label}
      </Button>
    ) : (
      <DeniedNote reason={reason(permission, queueName)} testId={`${testId}-denied`}>
        {label}
      </DeniedNote>
    );
  const filter = { state: "all" as const, ids: [message.id] };
  const description = `message ${message.id}`;
  return (
    <div className="message-actions" data-testid="message-actions">
      {message.death && gate("message:redrive", "Redrive", () => setOpen("redrive"), "redrive-message")}
      {gate("queue:ChangeMessageVisibility", "Change visibility", () => setOpen("visibility"), "visibility-message")}
      {gate("message:redrive", "Move", () => setOpen("move"), "move-message")}
      {gate("message:redrive", "Copy", () => setOpen("copy"), "copy-message")}
      {gate("message:purge", "Delete", () => setOpen("delete"), "delete-message")}

      {(open === "redrive" || open === "move" || open === "copy") && (
        <BulkActionDialog
          open
          onClose={() => setOpen(null)}
          queueName={queueName}
          kind={open}
          filter={filter}
          description={description}
        />
      )}
      <ConfirmDialog
        open={open === "delete"}
        title="Delete message"
        description={
          <p>
            Delete message <code className="mono">{message.id}</code> from “{queueName}”? Consumers will never receive
            it.
          </p>
        }
        confirmLabel="Delete message"
        isPending={remove.isPending}
        error={remove.error ?? undefined}
        onConfirm={() =>
          remove.mutate(message.id, {
            onSuccess: () => {
              setOpen(null);
              onGone?.();
            },
          })
        }
        onCancel={() => {
          remove.reset();
          setOpen(null);
        }}
        testId="delete-message-dialog"
      />
      <VisibilityDialog
        open={open === "visibility"}
        onClose={() => setOpen(null)}
        queueName={queueName}
        message={message}
      />
    </div>
  );
}

function VisibilityDialog({
  open,
  onClose,
  queueName,
  message,
}: {
  open: boolean;
  onClose: () => void;
  queueName: string;
  message: PeekedMessage;
}) {
  return (
    <Dialog open={open} onClose={onClose} title="Change visibility" testId="visibility-dialog">
      <VisibilityForm onClose={onClose} queueName={queueName} message={message} />
    </Dialog>
  );
}

function VisibilityForm({
  onClose,
  queueName,
  message,
}: {
  onClose: () => void;
  queueName: string;
  message: PeekedMessage;
}) {
  const change = useChangeVisibility(queueName);
  const [seconds, setSeconds] = useState("0");
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const n = Number(seconds);
  const isValid = seconds.trim() !== "" && Number.isInteger(n) && n >= 0 && n <= 43_200;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!isValid) return setError("A whole number of seconds, 0–43,200 (12 h).");
    change.mutate({ id: message.id, visibilityTimeout: n });
  };
  if (change.data) {
    return (
      <>
        <p className="notice notice-success" role="status" data-testid="visibility-changed">
          Message {change.data.id} is visible {n === 0 ? "now" : `from ${formatDateTime(change.data.nextVisibleAt)}`}.
        </p>
        <div className="dialog-footer">
          <Button onClick={onClose}>Close</Button>
        </div>
      </>
    );
  }
  return (
    <form onSubmit={submit} noValidate className="form">
      <Field
        id={id}
        label="Visible again in (seconds)"
        hint={`0 makes it receivable now; up to 43,200 (12 h). ${isValid && n > 0 ? `= ${formatDuration(n)}` : ""}`}
        error={error ?? undefined}
      >
        {(control) => (
          <input
            {...control}
            className="input"
            type="number"
            min={0}
            max={43_200}
            value={seconds}
            onChange={(e) => {
              setSeconds(e.target.value);
              setError(null);
            }}
            data-testid="visibility-seconds"
          />
        )}
      </Field>
      {change.error && <ErrorBox error={change.error} title="That did not work" />}
      <div className="dialog-footer">
        <Button onClick={onClose} disabled={change.isPending}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" isPending={change.isPending} data-testid="confirm-visibility">
          Change visibility
        </Button>
      </div>
    </form>
  );
}
