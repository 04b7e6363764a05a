"use client";

/**
 * The first Tab stop of every console page: moves the focus past the header to the page itself, so a
 * keyboard user does not tab through the navigation on each page. Hidden until focused. The focus is
 * moved here rather than by following "#main", which would add an entry to the history.
 */
export function SkipLink({ targetId }: { targetId: string }) {
  return (
    <a
      href={`#${targetId}`}
      className="skip-link"
      onClick={(event) => {
        const target = document.getElementById(targetId);
        if (!target) return;
        event.preventDefault();
        target.focus();
      }}
    >
      Skip to content
    </a>
  );
}
