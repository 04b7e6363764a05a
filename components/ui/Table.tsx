import type { ReactNode } from "react";

type TableProps = { children: ReactNode; testId?: string; "aria-label"?: string };

/** A plain data table in a horizontally scrollable frame. */
export function Table({ children, testId, ...rest }: TableProps) {
  return (
    <div className="table-wrap">
      <table className="table" data-testid={testId} {...rest}>
        {children}
      </table>
    </div>
  );
}
