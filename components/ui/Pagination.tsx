import { formatNumber } from "@/lib/client/format";
import { Button } from "./Button";

type PaginationProps = {
  offset: number;
  limit: number;
  total: number;
  onChange: (offset: number) => void;
  noun: string;
};

/** Offset paging: "21–40 of 45 queues" with Previous / Next. */
export function Pagination({ offset, limit, total, onChange, noun }: PaginationProps) {
  if (total === 0) return null;
  const first = Math.min(offset + 1, total);
  const last = Math.min(offset + limit, total);
  return (
    <div className="pagination" data-testid="pagination">
      <span className="muted">
        {formatNumber(first)}–{formatNumber(last)} of {formatNumber(total)} {noun}
      </span>
      <div className="pagination-buttons">
        <Button size="sm" disabled={offset === 0} onClick={() => onChange(Math.max(0, offset - limit))}>
          Previous
        </Button>
        <Button size="sm" disabled={offset + limit >= total} onClick={() => onChange(offset + limit)}>
          Next
        </Button>
      </div>
    </div>
  );
}
