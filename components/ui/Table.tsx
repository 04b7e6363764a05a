import type { ReactNode } from "react";

type TableProps = { children: ReactNode; testId?: string; "aria-label"?: string; className?: string };

/** A plain data table in a horizontally scrollable frame. */
export function Table({ children, testId, className, ...rest }: TableProps) {
  return (
    <div className="table-wrap">
      <table className={className ? `table ${className}` : "table"} data-testid={testId} {...rest}>
        {children}
      </table>
    </div>
  );
}
