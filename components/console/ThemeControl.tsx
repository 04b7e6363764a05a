"use client";

import { setThemeChoice, type ThemeChoice, themeChoices, useThemeChoice } from "@/lib/client/theme";

const labels: Record<ThemeChoice, string> = { system: "Auto", light: "Light", dark: "Dark" };

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
