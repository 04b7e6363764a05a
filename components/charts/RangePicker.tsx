"use client";

import { type RangePreset, rangePresets } from "@/lib/client/series";

/** The time range of a page's charts (15 min … 30 days); the page keeps it in its URL (?range=). */
export function RangePicker({ value, onChange }: { value: RangePreset; onChange: (range: RangePreset) => void }) {
  return (
    <fieldset className="segmented" data-testid="range-picker">
      <legend className="visually-hidden">Time range</legend>
      {rangePresets.map((preset) => (
        <label key={preset.value} className="segmented-option" data-testid={`range-${preset.value}`}>
          <input
            type="radio"
            name="chart-range"
            className="visually-hidden"
            value={preset.value}
            checked={value === preset.value}
            onChange={() => onChange(preset.value)}
          />
          {preset.label}
        </label>
      ))}
    </fieldset>
  );
}
