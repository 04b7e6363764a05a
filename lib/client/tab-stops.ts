// The elements Tab visits inside a container, in document order — what a focus trap needs to know
// where the first and last stops are. Only one radio button of a group is a stop (the checked one,
// else the first), as the browser does.

const candidates = [
  "a[href]",
  "button:not([disabled])",
  "input:not([disabled]):not([type=hidden])",
  "select:not([disabled])",
  "textarea:not([disabled])",
  "summary",
  "[tabindex]",
].join(",");

export function tabStopsIn(container: HTMLElement): HTMLElement[] {
  const radioGroupsSeen = new Set<string>();
  return Array.from(container.querySelectorAll<HTMLElement>(candidates)).filter((element) => {
    if (element.tabIndex < 0 || element.getClientRects().length === 0) return false;
    if (element.closest("[inert]")) return false;
    if (element instanceof HTMLInputElement && element.type === "radio" && element.name) {
      const group = Array.from(
        container.querySelectorAll<HTMLInputElement>(`input[type=radio][name="${CSS.escape(element.name)}"]`),
      );
      const stop = group.find((radio) => radio.checked) ?? group[0];
      if (stop !== element || radioGroupsSeen.has(element.name)) return false;
      radioGroupsSeen.add(element.name);
    }
    return true;
  });
}
