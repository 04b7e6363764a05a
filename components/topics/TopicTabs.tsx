"use client";

import { usePathname, useRouter } from "next/navigation";
import type { KeyboardEvent } from "react";

export const topicTabs = [
  { value: "subscriptions", label: "Subscriptions" },
  { value: "publish", label: "Publish" },
  { value: "routing", label: "Routing tester" },
  { value: "messages", label: "Messages & deliveries" },
  { value: "settings", label: "Settings" },
] as const;
export type TopicTab = (typeof topicTabs)[number]["value"];

export const topicTabOf = (value: string | null): TopicTab =>
  topicTabs.find((t) => t.value === value)?.value ?? "subscriptions";

/** The topic page's sections as tabs; the tab lives in the URL (?tab=), so back/forward and links work. */
export function TopicTabs({ current }: { current: TopicTab }) {
  const router = useRouter();
  const pathname = usePathname();
  const go = (tab: TopicTab) => {
    // Another tab's state (an open message) does not carry over.
    const params = new URLSearchParams();
    if (tab !== "subscriptions") params.set("tab", tab);
    const search = params.toString();
    router.push(`${pathname}${search ? `?${search}` : ""}`, { scroll: false });
  };
  // Arrow keys move between tabs (the WAI-ARIA tabs pattern).
  const onKeyDown = (event: KeyboardEvent) => {
    // From the focused tab: the URL (`current`) lags a quick second press (as in QueueTabs).
    const focused = topicTabs.findIndex((t) => (event.target as Element).id === `topic-tab-${t.value}-label`);
    const i = focused >= 0 ? focused : topicTabs.findIndex((t) => t.value === current);
    const step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    const next = topicTabs[(i + step + topicTabs.length) % topicTabs.length];
    if (next) {
      go(next.value);
      document.getElementById(`topic-tab-${next.value}-label`)?.focus();
    }
  };
  return (
    <div className="tabs" role="tablist" aria-label="Topic sections" onKeyDown={onKeyDown}>
      {topicTabs.map((tab) => (
        <button
          key={tab.value}
          type="button"
          role="tab"
          id={`topic-tab-${tab.value}-label`}
          aria-selected={tab.value === current}
          aria-controls={`topic-tab-${tab.value}`}
          tabIndex={tab.value === current ? 0 : -1}
          className={tab.value === current ? "tab tab-active" : "tab"}
          onClick={() => go(tab.value)}
          data-testid={`topic-tab-${tab.value}`}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}
