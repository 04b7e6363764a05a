"use client";

import { setThemeChoice, type ThemeChoice, themeChoices, useThemeChoice } from "@/lib/client/theme";

// "Theme" in each label: beside the auto-refresh controls, a bare "Auto" read as part of them.
const labels: Record<ThemeChoice, string> = { system: "Auto theme", light: "Light theme", dark: "Dark theme" };

/** Light, dark, or as the system says; kept per browser. */
export function ThemeControl() {
  const choice = useThemeChoice();
  return (
    <select
      className="select select-sm theme-control"
      aria-label="Theme (Auto follows the system)"
      title="Theme: Auto follows the system"
      value={choice}
      onChange={(e) => setThemeChoice(e.target.value as ThemeChoice)}
      data-testid="theme-control"
    >
      {themeChoices.map((c) => (
        <option key={c} value={c}>
          {labels[c]}
        </option>
      ))}
    </select>
  );
}
