import type { ReactNode } from "react";

type Props = {
  children: ReactNode;
  /** only on the sorted column */
  ariaSort: "ascending" | "descending" | undefined;
  onSort: () => void;
  className?: string;
  testId?: string;
};

/**
 * A column header that sorts: a button (so Tab reaches it and Enter or Space sorts), the state in
 * aria-sort for screen readers, and an arrow for the eye.
 */
export function SortableHeader({ children, ariaSort, onSort, className, testId }: Props) {
  const icon = ariaSort === "ascending" ? "▲" : ariaSort === "descending" ? "▼" : "↕";
  return (
    <th scope="col" aria-sort={ariaSort} className={className}>
      <button type="button" className="sort-button" onClick={onSort} data-testid={testId}>
        {children}
        <span className="sort-icon" aria-hidden="true">
          {icon}
        </span>
      </button>
    </th>
  );
}
