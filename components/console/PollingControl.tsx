"use client";

import { pollingIntervals, setPollingSetting, usePollingSetting } from "@/lib/client/polling";

/** The one auto-refresh switch for every live view of the console. */
export function PollingControl() {
  const { intervalMs, isPaused } = usePollingSetting();
  return (
    <fieldset className="polling-control" data-testid="polling-control">
      <legend className="visually-hidden">Auto-refresh</legend>
      <span className={`live-dot${isPaused ? " live-dot-paused" : ""}`} aria-hidden="true" />
      <label className="polling-label" htmlFor="polling-interval">
        Auto-refresh
      </label>
      <select
        id="polling-interval"
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
