"use client";

import { type ReactNode, useEffect, useId, useRef } from "react";

type DialogProps = {
  open: boolean;
  /** Called when the user dismisses the dialog (Escape, or a caller's Cancel button). */
  onClose: () => void;
  title: string;
  children: ReactNode;
  footer?: ReactNode;
  testId?: string;
  /** "lg" for editors that need room (the policy editor); "md" for forms and confirmations. */
  size?: "md" | "lg";
};

/**
 * A modal on the native <dialog> element: the browser supplies the backdrop, focus trapping and
 * Escape. Content is mounted only while open, so each opening starts from a clean state.
 */
export function Dialog({ open, onClose, title, children, footer, testId, size = "md" }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      className={size === "lg" ? "dialog dialog-lg" : "dialog"}
      aria-labelledby={titleId}
      // Escape asks the owner to close rather than closing behind its back: `open` stays the truth.
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      data-testid={testId}
    >
      {open && (
        <>
          <h2 className="dialog-title" id={titleId}>
            {title}
          </h2>
          <div className="dialog-body">{children}</div>
          {footer && <div className="dialog-footer">{footer}</div>}
        </>
      )}
    </dialog>
  );
}
