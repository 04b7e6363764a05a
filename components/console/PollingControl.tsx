"use client";

import { useConnection } from "@/lib/client/connection";
import { pollingIntervals, setPollingSetting, usePollingSetting } from "@/lib/client/polling";
import { useIsPolling } from "@/lib/client/use-is-polling";

/**
 * The one auto-refresh switch for every live view of the console, and a live indicator that tells
 * the truth: green while this page refreshes and the server answers, amber while it cannot be
 * reached, grey when paused, absent on a page that does not refresh.
 */
export function PollingControl() {
  const { intervalMs, isPaused } = usePollingSetting();
  const isPolling = useIsPolling();
  const { isFailing } = useConnection();
  const live = isPaused ? "paused" : isFailing ? "reconnecting" : isPolling ? "live" : "static";
  const liveText = { paused: "Paused", reconnecting: "Reconnecting…", live: "Live", static: "" }[live];
  return (
    <fieldset className="polling-control" data-testid="polling-control">
      <legend className="visually-hidden">Auto-refresh</legend>
      {live !== "static" && (
        <span className={`live-dot live-dot-${live}`} title={liveText} data-testid="live-indicator" data-live={live}>
          <span className="visually-hidden">{liveText}</span>
        </span>
      )}
      {live === "reconnecting" && <span className="live-reconnecting">Reconnecting…</span>}
      <label className="polling-label" htmlFor="polling-interval">
        Auto-refresh
      </label>
      <select
        id="polling-interval"
        aria-label="Auto-refresh interval"
        className="select select-sm"
        value={intervalMs}
        disabled={isPaused}
        onChange={(e) => setPollingSetting({ intervalMs: Number(e.target.value) })}
      >
        {pollingIntervals.map((ms) => (
          <option key={ms} value={ms}>
            every {ms / 1000} s
          </option>
        ))}
      </select>
      <button
        type="button"
        className="btn btn-ghost btn-sm"
        aria-pressed={isPaused}
        onClick={() => setPollingSetting({ isPaused: !isPaused })}
        data-testid="polling-toggle"
      >
        {isPaused ? "Resume" : "Pause"}
      </button>
    </fieldset>
  );
}
