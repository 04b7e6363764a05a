"use client";

import { usePathname } from "next/navigation";
import { type ReactNode, useEffect, useRef, useState } from "react";
import { buttonClassName } from "@/components/ui/Button";

/**
 * The header's navigation and account controls. Wide screens show them in the header row (the
 * wrapper is `display: contents`); narrow ones fold them behind a Menu button. Navigating or Escape
 * closes the menu.
 */
export function HeaderMenu({ children }: { children: ReactNode }) {
  const [isOpen, setOpen] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const pathname = usePathname();
  // biome-ignore lint/correctness/useExhaustiveDependencies: closing on each navigation is the point
  useEffect(() => setOpen(false), [pathname]);
  useEffect(() => {
    if (!isOpen) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      setOpen(false);
      if (menu.current?.contains(document.activeElement)) toggle.current?.focus();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [isOpen]);
  return (
    <>
      <button
        ref={toggle}
        type="button"
        className={buttonClassName("secondary", "sm", "menu-toggle")}
        aria-expanded={isOpen}
        aria-controls="console-menu"
        onClick={() => setOpen((open) => !open)}
      >
        Menu
      </button>
      <div ref={menu} id="console-menu" className="console-menu" data-open={isOpen}>
        {children}
      </div>
    </>
  );
}
