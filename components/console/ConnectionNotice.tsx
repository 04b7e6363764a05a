"use client";

import { useConnection } from "@/lib/client/connection";
import { formatDateTime } from "@/lib/client/format";

/** While the server cannot be reached: every page keeps what it last loaded and says so. */
export function ConnectionNotice() {
  const { isFailing, failingSince } = useConnection();
  if (!isFailing) return null;
  return (
    <div className="connection-notice">
      <p className="notice notice-warning" role="status" data-testid="connection-notice">
        The server cannot be reached
        {failingSince ? ` (since ${formatDateTime(new Date(failingSince).toISOString())})` : ""}. This page shows what
        it last loaded, which may be out of date; it reconnects by itself.
      </p>
    </div>
  );
}
