import type { ReactNode } from "react";

type TableProps = {
  children: ReactNode;
  testId?: string;
  "aria-label"?: string;
  /**
   * Column widths (CSS lengths; "auto" shares what is left) for a fixed layout: the columns then come
   * from the header, not from the rows on show, so filtering or paging never moves them. Without it
   * the browser sizes columns to their content.
   */
  columns?: readonly string[];
  /** With `columns`: below this width the table scrolls in its frame instead of squeezing its columns. */
  minWidth?: number;
  className?: string;
};

/** A plain data table in a horizontally scrollable frame. */
export function Table({ children, testId, columns, minWidth, className, ...rest }: TableProps) {
  return (
    <div className="table-wrap">
      <table
        className={["table", columns && "table-fixed", className].filter(Boolean).join(" ")}
        // A width, not min-width: browsers ignore min-width on a fixed-layout table.
        style={columns && minWidth ? { width: `max(100%, ${minWidth}px)` } : undefined}
        data-testid={testId}
        {...rest}
      >
        {columns && (
          <colgroup>
            {columns.map((width, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: columns are positional and never reorder
              <col key={i} style={width === "auto" ? undefined : { width }} />
            ))}
          </colgroup>
        )}
        {children}
      </table>
    </div>
  );
}
