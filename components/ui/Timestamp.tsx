import { formatDateTime, formatRelative } from "@/lib/client/format";

/** The absolute time over the relative one. `now` from useNow() keeps the relative part ticking. */
export function Timestamp({ iso, now }: { iso: string; now?: number }) {
  return (
    <span className="timestamp">
      <span>{formatDateTime(iso)}</span>
      <span className="muted small">{formatRelative(iso, now)}</span>
    </span>
  );
}
