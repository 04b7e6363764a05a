"use client";

import { type FormEvent, type ReactNode, useId, useState } from "react";
import { Button, type ButtonVariant } from "./Button";
import { Dialog } from "./Dialog";
import { ErrorBox } from "./ErrorBox";

type ConfirmDialogProps = {
  open: boolean;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  /** "danger" (default) for destructive steps; "primary" for reversible ones such as enabling. */
  confirmVariant?: ButtonVariant;
  /** When set, the confirm button stays disabled until exactly this text is typed. */
  requireText?: string;
  isPending?: boolean;
  error?: unknown;
  onConfirm: () => void;
  /** Not called while `isPending`: the step cannot be walked away from half-done. */
  onCancel: () => void;
  testId?: string;
};

/** Asks before something destructive; for the irreversible kind, makes the user type the name. */
export function ConfirmDialog(props: ConfirmDialogProps) {
  return (
    <Dialog
      open={props.open}
      onClose={() => {
        if (!props.isPending) props.onCancel();
      }}
      title={props.title}
      testId={props.testId}
    >
      <ConfirmDialogContent {...props} />
    </Dialog>
  );
}

function ConfirmDialogContent({
  description,
  confirmLabel,
  confirmVariant = "danger",
  requireText,
  isPending,
  error,
  onConfirm,
  onCancel,
}: ConfirmDialogProps) {
  const [typed, setTyped] = useState("");
  const inputId = useId();
  const isConfirmed = requireText === undefined || typed === requireText;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (isConfirmed && !isPending) onConfirm();
  };

  return (
    <form onSubmit={submit} noValidate>
      <div className="confirm-description">{description}</div>
      {requireText !== undefined && (
        <div className="field">
          <label className="confirm-label" htmlFor={inputId}>
            Type <strong className="mono">{requireText}</strong> to confirm
          </label>
          <input
            id={inputId}
            className="input"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            autoComplete="off"
            spellCheck={false}
            data-testid="confirm-input"
          />
        </div>
      )}
      {error !== undefined && error !== null && <ErrorBox error={error} title="That did not work" />}
      <div className="dialog-footer">
        <Button onClick={onCancel} disabled={isPending}>
          Cancel
        </Button>
        <Button
          type="submit"
          variant={confirmVariant}
          disabled={!isConfirmed}
          isPending={isPending}
          data-testid="confirm-button"
        >
          {confirmLabel}
        </Button>
      </div>
    </form>
  );
}
