"use client";

import {
  describePermission,
  isCoveredByOther,
  otherPatterns,
  type PermissionGroup,
  toggleAction,
} from "@/lib/client/permission-groups";

type PermissionPickerProps = {
  groups: PermissionGroup[];
  selected: string[];
  onChange: (next: string[]) => void;
  /** Prefix for ids and test ids: each checkbox is `${idPrefix}-${pattern}`. */
  idPrefix: string;
};

/**
 * Checkboxes per permission family. A family's own box ("queue:*") covers its members, which then
 * show as checked and locked; patterns set elsewhere that no group shows are listed to be removed.
 */
export function PermissionPicker({ groups, selected, onChange, idPrefix }: PermissionPickerProps) {
  const others = otherPatterns(selected, groups);
  const option = (pattern: string, isFamily: boolean) => {
    const id = `${idPrefix}-${pattern}`;
    const isCovered = isCoveredByOther(selected, pattern);
    return (
      <label key={pattern} className={`permission-option${isFamily ? " permission-family" : ""}`} htmlFor={id}>
        <input
          id={id}
          type="checkbox"
          checked={selected.includes(pattern) || isCovered}
          disabled={isCovered}
          onChange={(e) => onChange(toggleAction(selected, pattern, e.target.checked))}
          data-testid={id}
        />
        <span className="permission-text">
          <code className="permission-code">{pattern}</code>
          <span className="permission-description">
            {isCovered ? "included by a wider choice" : describePermission(pattern)}
          </span>
        </span>
      </label>
    );
  };

  return (
    <div className="permission-picker">
      {groups.map((group) => (
        <fieldset key={group.family} className="permission-group">
          <legend className="permission-group-title">{group.label}</legend>
          {group.permissions.length > 1 && option(group.pattern, true)}
          {group.permissions.map((p) => option(p, false))}
        </fieldset>
      ))}
      {others.length > 0 && (
        <fieldset className="permission-group">
          <legend className="permission-group-title">Other patterns</legend>
          {others.map((p) => option(p, false))}
        </fieldset>
      )}
    </div>
  );
}
