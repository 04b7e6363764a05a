"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import type { KeyboardEvent } from "react";

export const queueTabs = [
  { value: "messages", label: "Messages" },
  { value: "charts", label: "Charts" },
  { value: "settings", label: "Settings & dead letters" },
  { value: "rewind", label: "Rewind" },
  { value: "operations", label: "Operations" },
] as const;
export type QueueTab = (typeof queueTabs)[number]["value"];

export const tabOf = (value: string | null): QueueTab => queueTabs.find((t) => t.value === value)?.value ?? "messages";

/** The queue page's sections as tabs; the tab lives in the URL (?tab=), so back/forward and links work. */
export function QueueTabs({ current }: { current: QueueTab }) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const go = (tab: QueueTab) => {
    const params = new URLSearchParams(searchParams.toString());
    if (tab === "messages") params.delete("tab");
    else params.set("tab", tab);
    const search = params.toString();
    router.push(`${pathname}${search ? `?${search}` : ""}`, { scroll: false });
  };
  // Arrow keys move between tabs (the WAI-ARIA tabs pattern), from the tab that has the focus: the
  // URL (`current`) lags a quick second press while the first one's navigation is under way.
  const onKeyDown = (event: KeyboardEvent) => {
    const focused = queueTabs.findIndex((t) => (event.target as Element).id === `queue-tab-${t.value}-label`);
    const i = focused >= 0 ? focused : queueTabs.findIndex((t) => t.value === current);
    const step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    const next = queueTabs[(i + step + queueTabs.length) % queueTabs.length];
    if (next) {
      go(next.value);
      document.getElementById(`queue-tab-${next.value}-label`)?.focus();
    }
  };
  return (
    <div className="tabs" role="tablist" aria-label="Queue sections" onKeyDown={onKeyDown}>
      {queueTabs.map((tab) => (
        <button
          key={tab.value}
          type="button"
          role="tab"
          id={`queue-tab-${tab.value}-label`}
          aria-selected={tab.value === current}
          aria-controls={`queue-tab-${tab.value}`}
          tabIndex={tab.value === current ? 0 : -1}
          className={tab.value === current ? "tab tab-active" : "tab"}
          onClick={() => go(tab.value)}
          data-testid={`queue-tab-${tab.value}`}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}
