import { useSyncExternalStore } from "react";
import { themeStorageKey as storageKey } from "./theme-script";

// Light or dark: the user's choice (kept in localStorage, shared by the console's tabs) or, by
// default, the system's. The page carries the result as <html data-theme>, which globals.css themes
// by; themeScript (./theme-script.ts) sets it before the first paint so a dark page never flashes light.

export const themeChoices = ["system", "light", "dark"] as const;
export type ThemeChoice = (typeof themeChoices)[number];

const listeners = new Set<() => void>();

export const parseThemeChoice = (raw: string | null): ThemeChoice =>
  themeChoices.find((choice) => choice === raw) ?? "system";

/** The theme a choice shows, given whether the system prefers dark. */
export const resolveTheme = (choice: ThemeChoice, systemPrefersDark: boolean): "light" | "dark" =>
  choice === "system" ? (systemPrefersDark ? "dark" : "light") : choice;

const darkQuery = () => window.matchMedia("(prefers-color-scheme: dark)");

function apply(choice: ThemeChoice) {
  document.documentElement.dataset.theme = resolveTheme(choice, darkQuery().matches);
}

const read = () => parseThemeChoice(window.localStorage.getItem(storageKey));

function subscribe(listener: () => void) {
  listeners.add(listener);
  // Another tab changed the choice, or the system changed its mind while following it.
  const onChange = () => {
    apply(read());
    listener();
  };
  window.addEventListener("storage", onChange);
  const query = darkQuery();
  query.addEventListener("change", onChange);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", onChange);
    query.removeEventListener("change", onChange);
  };
}

export function setThemeChoice(choice: ThemeChoice) {
  window.localStorage.setItem(storageKey, choice);
  apply(choice);
  for (const listener of listeners) listener();
}

export function useThemeChoice(): ThemeChoice {
  return useSyncExternalStore(subscribe, read, () => "system");
}
