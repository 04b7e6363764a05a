"use client";

import Link from "next/link";

// A page that failed while rendering: say so plainly, offer to try again; details stay in the server log.
export default function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="standalone-page">
      <div className="standalone-card" role="alert">
        <p className="standalone-code">Error</p>
        <h1>This page could not be shown</h1>
        <p className="muted">
          Something went wrong on our side. Try again; if it keeps happening, the server log has the details
          {error.digest ? ` (reference ${error.digest})` : ""}.
        </p>
        <div className="standalone-actions">
          <button type="button" className="btn btn-primary" onClick={reset}>
            Try again
          </button>
          <Link href="/queues" className="btn btn-secondary">
            Go to queues
          </Link>
        </div>
      </div>
    </main>
  );
}
