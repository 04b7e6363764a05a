"use client";

import { type KeyboardEvent, type ReactNode, useEffect, useId, useRef } from "react";
import { tabStopsIn } from "@/lib/client/tab-stops";

type DialogProps = {
  open: boolean;
  /** Called when the user dismisses the dialog (Escape, or a caller's Cancel button). */
  onClose: () => void;
  title: string;
  children: ReactNode;
  footer?: ReactNode;
  testId?: string;
  /** "lg" for editors that need room (the policy editor), "xl" for tables (a delivery timeline's attempts); "md" for forms and confirmations. */
  size?: "md" | "lg" | "xl";
};

/**
 * A modal on the native <dialog> element: the browser supplies the backdrop, makes the page behind
 * inert and handles Escape. Tab and Shift+Tab cycle inside it (the browser alone would let the focus
 * out to its own toolbar and back), and closing — or unmounting while open — gives the focus back to
 * whatever had it when the dialog opened. Content is mounted only while open, so each opening starts
 * from a clean state.
 */
export function Dialog({ open, onClose, title, children, footer, testId, size = "md" }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLElement | null>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      dialog.showModal();
    }
    if (!open && dialog.open) {
      dialog.close();
      returnFocus(opener);
    }
  }, [open]);
  // A caller may unmount the dialog instead of closing it (a dialog shown by `{x && <Dialog open />}`).
  useEffect(() => () => returnFocus(opener), []);

  return (
    <dialog
      ref={ref}
      className={size === "md" ? "dialog" : `dialog dialog-${size}`}
      aria-labelledby={titleId}
      // Escape asks the owner to close rather than closing behind its back: `open` stays the truth.
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      onKeyDown={keepTabInside}
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

/** Tab from the last stop goes to the first, Shift+Tab from the first (or the dialog itself) to the last. */
function keepTabInside(event: KeyboardEvent<HTMLDialogElement>) {
  if (event.key !== "Tab" || event.altKey || event.ctrlKey || event.metaKey) return;
  const stops = tabStopsIn(event.currentTarget);
  const first = stops[0];
  const last = stops.at(-1);
  const active = document.activeElement;
  if (!first || !last) {
    event.preventDefault();
    return;
  }
  if (event.shiftKey && (active === first || active === event.currentTarget)) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && active === last) {
    event.preventDefault();
    first.focus();
  }
}

/** Focus back to the element that had it when the dialog opened, if it is still on the page. */
function returnFocus(opener: { current: HTMLElement | null }) {
  const element = opener.current;
  opener.current = null;
  if (element?.isConnected && document.activeElement !== element) element.focus({ preventScroll: true });
}
