"use client";

import { type FormEvent, useMemo, useState } from "react";
import { PermissionPicker } from "@/components/access/PermissionPicker";
import { Button } from "@/components/ui/Button";
import { Dialog } from "@/components/ui/Dialog";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { Field } from "@/components/ui/Field";
import { narrowablePermissions } from "@/lib/client/api-key-actions";
import { type CreatedApiKey, useCreateApiKey } from "@/lib/client/api-keys";
import { groupPermissions } from "@/lib/client/permission-groups";
import type { Me } from "@/lib/schemas/access";

type CreateApiKeyDialogProps = {
  open: boolean;
  me: Me;
  onClose: () => void;
  /** Receives the new key with its SecretKey; the caller shows it once. */
  onCreated: (key: CreatedApiKey) => void;
};

export function CreateApiKeyDialog({ open, me, onClose, onCreated }: CreateApiKeyDialogProps) {
  return (
    <Dialog open={open} onClose={onClose} title="Create API key" size="lg" testId="create-api-key-dialog">
      <CreateApiKeyForm me={me} onCancel={onClose} onCreated={onCreated} />
    </Dialog>
  );
}

function CreateApiKeyForm({
  me,
  onCancel,
  onCreated,
}: Omit<CreateApiKeyDialogProps, "open" | "onClose"> & { onCancel: () => void }) {
  const createKey = useCreateApiKey();
  const groups = useMemo(() => groupPermissions(narrowablePermissions(me)), [me]);
  const [description, setDescription] = useState("");
  const [isNarrowed, setIsNarrowed] = useState(false);
  const [permissions, setPermissions] = useState<string[]>([]);
  const [errors, setErrors] = useState<{ description?: string; permissions?: string }>({});

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const found: typeof errors = {};
    if (description.length > 200) found.description = "At most 200 characters.";
    if (isNarrowed && permissions.length === 0)
      found.permissions = "Pick at least one permission, or allow everything.";
    if (isNarrowed && permissions.length > 30) found.permissions = "At most 30 permissions.";
    if (Object.keys(found).length > 0) return setErrors(found);
    createKey.mutate(
      { description: description.trim(), permissions: isNarrowed ? permissions : [] },
      { onSuccess: onCreated },
    );
  };

  return (
    <form onSubmit={onSubmit} noValidate data-testid="create-api-key-form">
      <Field
        id="api-key-description"
        label="Description"
        hint="What uses this key, so you recognise it later: “orders service, production”."
        error={errors.description}
      >
        {(control) => (
          <input
            {...control}
            className="input"
            autoComplete="off"
            maxLength={200}
            value={description}
            onChange={(e) => {
              setDescription(e.target.value);
              setErrors(({ description: _, ...rest }) => rest);
            }}
            data-testid="api-key-description"
          />
        )}
      </Field>
      <fieldset className="scope-choice">
        <legend className="field-label">Permissions</legend>
        <label className="radio-option">
          <input
            type="radio"
            name="api-key-scope"
            checked={!isNarrowed}
            onChange={() => setIsNarrowed(false)}
            data-testid="api-key-scope-all"
          />
          <span>
            Everything you may do <span className="muted small">— follows your role and policy as they change</span>
          </span>
        </label>
        <label className="radio-option">
          <input
            type="radio"
            name="api-key-scope"
            checked={isNarrowed}
            onChange={() => setIsNarrowed(true)}
            data-testid="api-key-scope-narrow"
          />
          <span>
            Only the permissions checked below <span className="muted small">— a key never exceeds its user</span>
          </span>
        </label>
      </fieldset>
      {isNarrowed && (
        <div className={`field${errors.permissions ? " field-invalid" : ""}`}>
          <PermissionPicker
            idPrefix="api-key-permission"
            groups={groups}
            selected={permissions}
            onChange={(next) => {
              setPermissions(next);
              setErrors(({ permissions: _, ...rest }) => rest);
            }}
          />
          {errors.permissions && (
            <p className="field-error" data-testid="api-key-permissions-error">
              {errors.permissions}
            </p>
          )}
        </div>
      )}
      {createKey.error && <ErrorBox error={createKey.error} title="The key was not created" />}
      <div className="dialog-footer">
        <Button onClick={onCancel} disabled={createKey.isPending}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" isPending={createKey.isPending} data-testid="submit-create-api-key">
          Create key
        </Button>
      </div>
    </form>
  );
}
