"use client";

import { PermissionPicker } from "@/components/access/PermissionPicker";
import { Button } from "@/components/ui/Button";
import { Field } from "@/components/ui/Field";
import type { PermissionGroup } from "@/lib/client/permission-groups";
import type { StatementDraft, StatementErrors } from "@/lib/client/policy-form";

type StatementEditorProps = {
  index: number;
  draft: StatementDraft;
  errors: StatementErrors | undefined;
  groups: PermissionGroup[];
  onChange: (draft: StatementDraft) => void;
  onRemove: () => void;
};

/** One policy statement: allow or deny, which actions, on which queues or topics. */
export function StatementEditor({ index, draft, errors, groups, onChange, onRemove }: StatementEditorProps) {
  const prefix = `statement-${index}`;
  return (
    <fieldset className={`statement statement-${draft.effect}`} data-testid={prefix}>
      <legend className="visually-hidden">Statement {index + 1}</legend>
      <div className="statement-header">
        <span className="statement-title">Statement {index + 1}</span>
        <select
          className="select select-sm"
          aria-label={`Effect of statement ${index + 1}`}
          value={draft.effect}
          onChange={(e) => onChange({ ...draft, effect: e.target.value as StatementDraft["effect"] })}
          data-testid={`${prefix}-effect`}
        >
          <option value="allow">Allow</option>
          <option value="deny">Deny</option>
        </select>
        <Button size="sm" variant="ghost" onClick={onRemove} data-testid={`${prefix}-remove`}>
          Remove
        </Button>
      </div>
      <div className={`field${errors?.actions ? " field-invalid" : ""}`}>
        <span className="field-label">Actions</span>
        <PermissionPicker
          idPrefix={`${prefix}-action`}
          groups={groups}
          selected={draft.actions}
          onChange={(actions) => onChange({ ...draft, actions })}
        />
        {errors?.actions && (
          <p className="field-error" data-testid={`${prefix}-actions-error`}>
            {errors.actions}
          </p>
        )}
      </div>
      <Field
        id={`${prefix}-resources`}
        label="Resources"
        hint="Queue or topic names, comma-separated; * matches any run of characters: orders-*, *-eu, *"
        error={errors?.resources}
      >
        {(control) => (
          <input
            {...control}
            className="input mono"
            autoComplete="off"
            spellCheck={false}
            placeholder="orders-*"
            value={draft.resources}
            onChange={(e) => onChange({ ...draft, resources: e.target.value })}
            data-testid={`${prefix}-resources-input`}
          />
        )}
      </Field>
    </fieldset>
  );
}
