"use client";

import { Button } from "@/components/ui/Button";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { Table } from "@/components/ui/Table";
import { TimeRangeFields } from "@/components/ui/TimeRangeFields";
import { TimeZoneHint } from "@/components/ui/TimeZoneHint";
import {
  type AlarmHistoryFilter,
  alarmRangeError,
  emptyAlarmHistoryFilter,
  isAlarmHistoryFiltered,
  toAlarmEventParams,
} from "@/lib/client/alarm-history-filter";
import { useAlarmEvents } from "@/lib/client/alarms";
import { formatDateTime } from "@/lib/client/format";
import { useUrlFilter } from "@/lib/client/url-filter";
import { type AlarmEvent, type AlarmRule, alarmStates } from "@/lib/schemas/alarm";
import { AlarmStateBadge, alarmStateLabel } from "./AlarmStateBadge";

/**
 * The history, newest first. Its filters (rule, state reached, time range) and its page live in the
 * URL: shareable, kept across reloads and Back; typed times apply after a pause.
 */
export function AlarmHistory({ rules }: { rules: AlarmRule[] }) {
  const filter = useUrlFilter<AlarmHistoryFilter>(emptyAlarmHistoryFilter);
  const values = filter.input;
  // A fresh object each render is fine: react-query compares keys by value.
  const events = useAlarmEvents(toAlarmEventParams(filter.applied));
  const rangeError = alarmRangeError(values);
  // A new filter starts from the newest events; typing waits for a pause, a choice applies at once.
  const setFilter = (key: Exclude<keyof AlarmHistoryFilter, "before">, value: string) => {
    const next = { ...values, [key]: value, before: "" };
    if (key === "from" || key === "to") filter.setInput(next);
    else filter.apply(next);
  };
  const setPage = (before: string) => filter.apply({ ...values, before });
  const isFiltered = isAlarmHistoryFiltered(filter.applied);
  const list = events.data?.events ?? [];
  return (
    <section aria-labelledby="alarm-history-title" className="alarm-section">
      <h2 id="alarm-history-title" className="section-title">
        History
      </h2>
      <div className="card">
        <div className="card-toolbar alarm-filters">
          <HistorySelect
            id="history-rule"
            label="Rule"
            value={values.rule}
            onChange={(v) => setFilter("rule", v)}
            any="All rules"
            options={rules.map((r) => ({ value: r.id, label: r.name }))}
          />
          <HistorySelect
            id="history-state"
            label="Became"
            value={values.state}
            onChange={(v) => setFilter("state", v)}
            any="Any state"
            options={alarmStates.map((s) => ({ value: s, label: alarmStateLabel[s] }))}
          />
          <TimeRangeFields
            idPrefix="history"
            from={values.from}
            to={values.to}
            onChange={setFilter}
            zoneHintId="history-time-zone"
            look="field"
          />
          <TimeZoneHint id="history-time-zone" className="alarm-zone" />
          {isAlarmHistoryFiltered(values) && (
            <Button
              size="sm"
              variant="ghost"
              onClick={() => filter.apply(emptyAlarmHistoryFilter)}
              data-testid="history-clear"
            >
              Clear filters
            </Button>
          )}
        </div>
        {rangeError && (
          <p className="form-error card-padded" role="alert" data-testid="history-range-error">
            {rangeError}
          </p>
        )}
        {events.isError && !events.data && (
          <div className="card-padded">
            <ErrorBox error={events.error} title="Could not load the alarm history" onRetry={() => events.refetch()} />
          </div>
        )}
        {events.data && list.length === 0 && (
          <p className="muted card-padded" data-testid="history-empty">
            No state changes{isFiltered ? " match these filters" : " yet"}.
          </p>
        )}
        {list.length > 0 && (
          <Table
            testId="alarm-history"
            aria-label="Alarm history"
            columns={["17%", "15%", "13%", "auto", "16%"]}
            minWidth={900}
          >
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Rule</th>
                <th scope="col">Change</th>
                <th scope="col">What was seen</th>
                <th scope="col">Webhook</th>
              </tr>
            </thead>
            <tbody>
              {list.map((event) => (
                <EventRow key={event.id} event={event} />
              ))}
            </tbody>
          </Table>
        )}
      </div>
      {(filter.applied.before || events.data?.nextBefore) && (
        <div className="form-actions form-actions-start">
          {filter.applied.before && (
            <Button size="sm" onClick={() => setPage("")} data-testid="history-newest">
              Newest
            </Button>
          )}
          {events.data?.nextBefore && (
            <Button size="sm" onClick={() => setPage(events.data?.nextBefore ?? "")} data-testid="history-older">
              Older
            </Button>
          )}
        </div>
      )}
    </section>
  );
}

function EventRow({ event }: { event: AlarmEvent }) {
  const last = event.attempts[event.attempts.length - 1];
  return (
    <tr data-testid="alarm-event" data-transition={`${event.fromState}-${event.toState}`}>
      <td data-testid="alarm-event-at">{formatDateTime(event.at)}</td>
      <td>{event.ruleName}</td>
      <td>
        {alarmStateLabel[event.fromState]} → <AlarmStateBadge state={event.toState} />
      </td>
      <td data-testid="alarm-event-message">{event.message}</td>
      <td>
        {event.notifyStatus === "none"
          ? "—"
          : `${event.notifyStatus}${event.attempts.length > 0 ? ` (${event.attempts.length} ${event.attempts.length === 1 ? "attempt" : "attempts"}${last ? `, last ${last.httpStatus ?? last.error ?? "no answer"}` : ""})` : ""}`}
      </td>
    </tr>
  );
}

type HistorySelectProps = {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** the first choice, which filters nothing */
  any: string;
  options: { value: string; label: string }[];
};

/** One of the history's choice filters: its id is its test id too. */
function HistorySelect({ id, label, value, onChange, any, options }: HistorySelectProps) {
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <select id={id} className="select" value={value} onChange={(e) => onChange(e.target.value)} data-testid={id}>
        <option value="">{any}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}
