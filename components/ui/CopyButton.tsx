"use client";

import { useEffect, useState } from "react";
import { Button } from "./Button";

/**
 * Copies `value` to the clipboard. The Clipboard API exists only on secure origins (https,
 * localhost); over plain http on another host the old execCommand path still works.
 */
export function CopyButton({ value, label = "Copy", testId }: { value: string; label?: string; testId?: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");

  useEffect(() => {
    if (state === "idle") return;
    const timer = setTimeout(() => setState("idle"), 2_000);
    return () => clearTimeout(timer);
  }, [state]);

  const copy = async () => {
    try {
      if (navigator.clipboard && window.isSecureContext) await navigator.clipboard.writeText(value);
      else copyWithSelection(value);
      setState("copied");
    } catch {
      setState("failed");
    }
  };

  return (
    <Button size="sm" onClick={copy} data-testid={testId} aria-live="polite">
      {state === "copied" ? "Copied" : state === "failed" ? "Copy failed — select and copy" : label}
    </Button>
  );
}

function copyWithSelection(value: string) {
  const area = document.createElement("textarea");
  area.value = value;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.appendChild(area);
  area.select();
  const isCopied = document.execCommand("copy");
  area.remove();
  if (!isCopied) throw new Error("copy refused");
}
