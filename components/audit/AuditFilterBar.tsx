"use client";

import { Button } from "@/components/ui/Button";
import { TimeRangeFields } from "@/components/ui/TimeRangeFields";
import { TimeZoneHint } from "@/components/ui/TimeZoneHint";
import {
  type AuditFilterValues,
  auditActionFamilies,
  auditActions,
  emptyAuditFilter,
  isAuditFilterEmpty,
} from "@/lib/client/audit-filter";

type AuditFilterBarProps = { values: AuditFilterValues; onChange: (values: AuditFilterValues) => void };

/** Actor, action, resource, outcome and a time range; text fields match any part. */
export function AuditFilterBar({ values, onChange }: AuditFilterBarProps) {
  const set = <K extends keyof AuditFilterValues>(key: K, value: AuditFilterValues[K]) =>
    onChange({ ...values, [key]: value });
  return (
    <div className="audit-filters" data-testid="audit-filters">
      <label className="filter">
        <span className="filter-label">Actor</span>
        <input
          type="search"
          className="input"
          placeholder="Email or SecretId"
          maxLength={200}
          value={values.actor}
          onChange={(e) => set("actor", e.target.value)}
          data-testid="audit-filter-actor"
        />
      </label>
      <label className="filter">
        <span className="filter-label">Action</span>
        <select
          className="select"
          value={values.action}
          onChange={(e) => set("action", e.target.value)}
          data-testid="audit-filter-action"
        >
          <option value="">Any action</option>
          <optgroup label="Families">
            {auditActionFamilies.map((family) => (
              <option key={family.value} value={family.value}>
                {family.label}
              </option>
            ))}
          </optgroup>
          <optgroup label="Actions">
            {auditActions.map((action) => (
              <option key={action} value={action}>
                {action}
              </option>
            ))}
          </optgroup>
        </select>
      </label>
      <label className="filter">
        <span className="filter-label">Resource</span>
        <input
          type="search"
          className="input"
          placeholder="Queue, user or key"
          maxLength={200}
          value={values.resource}
          onChange={(e) => set("resource", e.target.value)}
          data-testid="audit-filter-resource"
        />
      </label>
      <label className="filter">
        <span className="filter-label">Outcome</span>
        <select
          className="select"
          value={values.outcome}
          onChange={(e) => set("outcome", e.target.value as AuditFilterValues["outcome"])}
          data-testid="audit-filter-outcome"
        >
          <option value="">Any outcome</option>
          <option value="success">Success</option>
          <option value="denied">Denied</option>
          <option value="failure">Failure</option>
        </select>
      </label>
      <TimeRangeFields
        idPrefix="audit-filter"
        from={values.from}
        to={values.to}
        onChange={set}
        zoneHintId="audit-time-zone"
        look="filter"
      />
      <TimeZoneHint id="audit-time-zone" className="filter audit-zone" />
      {!isAuditFilterEmpty(values) && (
        <div className="filter filter-actions">
          <Button size="sm" variant="ghost" onClick={() => onChange(emptyAuditFilter)} data-testid="audit-filter-clear">
            Clear filters
          </Button>
        </div>
      )}
    </div>
  );
}
