"use client";

import { type FormEvent, useState } from "react";
import { Button } from "@/components/ui/Button";
import { Dialog } from "@/components/ui/Dialog";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { roleLabels } from "@/lib/client/access";
import { groupPermissions, policyPermissions } from "@/lib/client/permission-groups";
import {
  draftsFromStatements,
  maxStatements,
  newStatementDraft,
  type PolicyErrors,
  type StatementDraft,
  validatePolicy,
} from "@/lib/client/policy-form";
import { useSetUserPolicy } from "@/lib/client/users";
import type { User } from "@/lib/schemas/access";
import { StatementEditor } from "./StatementEditor";

const groups = groupPermissions(policyPermissions);

/** Edits one user's resource policy; saving replaces every statement. `user` null = closed. */
export function PolicyDialog({ user, onClose }: { user: User | null; onClose: () => void }) {
  return (
    <Dialog open={user !== null} onClose={onClose} title="Edit policy" size="lg" testId="policy-dialog">
      {user && <PolicyForm user={user} onDone={onClose} />}
    </Dialog>
  );
}

function PolicyForm({ user, onDone }: { user: User; onDone: () => void }) {
  const setPolicy = useSetUserPolicy(user.id);
  const [drafts, setDrafts] = useState<StatementDraft[]>(() => draftsFromStatements(user.statements));
  const [errors, setErrors] = useState<PolicyErrors>({ statements: {} });

  const update = (index: number, next: StatementDraft | null) => {
    setDrafts((list) => (next ? list.map((d, i) => (i === index ? next : d)) : list.filter((_, i) => i !== index)));
    // Indexes shift on removal: start the complaints afresh rather than pin them to the wrong statement.
    setErrors({ statements: {} });
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const result = validatePolicy(drafts);
    if (!result.ok) return setErrors(result.errors);
    setPolicy.mutate(result.statements, { onSuccess: onDone });
  };

  return (
    <form onSubmit={onSubmit} noValidate data-testid="policy-form">
      <div className="policy-help">
        <p>
          <span className="mono">{user.email}</span> · role <strong>{roleLabels[user.role]}</strong>. A policy only
          narrows the role; it never grants more.
        </p>
        <ul>
          <li>
            <strong>Deny wins:</strong> a deny statement that matches the action and the resource refuses it.
          </li>
          <li>
            <strong>Allow statements scope the role to the resources listed:</strong> once a statement allows some queue
            actions, only the queues it lists can be seen or used (likewise for topics).
          </li>
          <li>With no statements the role applies to every queue and topic.</li>
        </ul>
      </div>
      {drafts.length === 0 ? (
        <p className="policy-empty muted" data-testid="policy-empty">
          No statements: the {roleLabels[user.role]} role applies to every resource.
        </p>
      ) : (
        <div className="statement-list">
          {drafts.map((draft, index) => (
            <StatementEditor
              key={draft.id}
              index={index}
              draft={draft}
              errors={errors.statements[index]}
              groups={groups}
              onChange={(next) => update(index, next)}
              onRemove={() => update(index, null)}
            />
          ))}
        </div>
      )}
      <div>
        <Button
          size="sm"
          onClick={() => setDrafts((list) => [...list, newStatementDraft()])}
          disabled={drafts.length >= maxStatements}
          data-testid="add-statement"
        >
          Add statement
        </Button>
      </div>
      {errors.form && (
        <p className="form-error" role="alert">
          {errors.form}
        </p>
      )}
      {Object.keys(errors.statements).length > 0 && (
        <p className="form-error" role="alert" data-testid="policy-invalid">
          Some statements are incomplete; see the notes above.
        </p>
      )}
      {setPolicy.error && <ErrorBox error={setPolicy.error} title="The policy was not saved" />}
      <div className="dialog-footer">
        <Button onClick={onDone} disabled={setPolicy.isPending}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" isPending={setPolicy.isPending} data-testid="save-policy">
          Save policy
        </Button>
      </div>
    </form>
  );
}
