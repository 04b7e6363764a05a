"use client";

import { useEffect, useState } from "react";
import { setTimeZoneChoice, type TimeZoneChoice, timeZoneChoice, zoneLabel } from "@/lib/client/time-zone";

/** Per-browser display preferences: the zone every time in the console is shown in. */
export function DisplaySettings() {
  // Read after mounting: the server renders without the browser's storage or zone.
  const [choice, setChoice] = useState<TimeZoneChoice | null>(null);
  useEffect(() => setChoice(timeZoneChoice()), []);
  const localLabel = choice ? zoneLabel("local", new Date()) : "";
  const options: { value: TimeZoneChoice; label: string }[] = [
    { value: "local", label: `This browser's zone (${localLabel})` },
    { value: "utc", label: "UTC" },
  ];
  return (
    <section className="card card-padded" data-testid="display-settings">
      <div className="card-header">
        <h2 className="card-title">Display</h2>
      </div>
      <fieldset className="fieldset-plain" disabled={!choice}>
        <legend className="field-label fieldset-legend">Show times in</legend>
        <div className="segmented">
          {options.map((option) => (
            <label key={option.value} className="segmented-option" data-testid={`time-zone-${option.value}`}>
              <input
                type="radio"
                name="time-zone"
                className="visually-hidden"
                value={option.value}
                checked={choice === option.value}
                onChange={() => setTimeZoneChoice(option.value)}
              />
              {option.label}
            </label>
          ))}
        </div>
      </fieldset>
      <p className="muted small account-note">
        Every time in the console is written as <span className="nowrap">2026-11-25 13:45:07</span> with its zone. Kept
        in this browser.
      </p>
    </section>
  );
}
