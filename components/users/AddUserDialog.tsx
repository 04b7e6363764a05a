"use client";

import { type FormEvent, useState } from "react";
import { Button } from "@/components/ui/Button";
import { Dialog } from "@/components/ui/Dialog";
import { Field } from "@/components/ui/Field";
import { SecretField } from "@/components/ui/SecretField";
import { roleDescriptions } from "@/lib/client/access";
import { isApiError } from "@/lib/client/api-client";
import { minPasswordLength, validateOptionalPassword } from "@/lib/client/password-form";
import { assignAdminAllowance } from "@/lib/client/user-actions";
import { type AssignableRole, type CreatedUser, useCreateUser } from "@/lib/client/users";
import type { Me } from "@/lib/schemas/access";
import { RoleSelect } from "./RoleSelect";

type AddUserDialogProps = { open: boolean; onClose: () => void; me: Me };

/** Adds a user; a generated password is shown once, in this dialog, and then forgotten. */
export function AddUserDialog({ open, onClose, me }: AddUserDialogProps) {
  const [created, setCreated] = useState<CreatedUser | null>(null);
  const close = () => {
    setCreated(null);
    onClose();
  };
  return (
    <Dialog open={open} onClose={close} title={created ? "User added" : "Add user"} testId="add-user-dialog">
      {created ? (
        <CreatedUserPanel user={created} onDone={close} />
      ) : (
        <AddUserForm me={me} onCreated={setCreated} onCancel={close} />
      )}
    </Dialog>
  );
}

type Values = { email: string; name: string; role: AssignableRole; password: string };
type Errors = Partial<Record<keyof Values | "form", string>>;

function validate(values: Values): Errors {
  const errors: Errors = {};
  const email = values.email.trim();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) errors.email = "Enter an email address.";
  else if (email.length > 200) errors.email = "At most 200 characters.";
  if (values.name.trim() === "") errors.name = "Enter a name.";
  else if (values.name.trim().length > 100) errors.name = "At most 100 characters.";
  const password = validateOptionalPassword(values.password);
  if (password) errors.password = password;
  return errors;
}

function AddUserForm({
  me,
  onCreated,
  onCancel,
}: {
  me: Me;
  onCreated: (user: CreatedUser) => void;
  onCancel: () => void;
}) {
  const createUser = useCreateUser();
  const [values, setValues] = useState<Values>({ email: "", name: "", role: "developer", password: "" });
  const [errors, setErrors] = useState<Errors>({});
  const adminAllowance = assignAdminAllowance(me);

  const change = <K extends keyof Values>(key: K, value: Values[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    setErrors(({ [key]: _, form: __, ...rest }) => rest);
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const found = validate(values);
    if (Object.keys(found).length > 0) return setErrors(found);
    createUser.mutate(
      {
        email: values.email.trim(),
        name: values.name.trim(),
        role: values.role,
        ...(values.password ? { password: values.password } : {}),
      },
      {
        onSuccess: onCreated,
        onError: (error) => {
          if (isApiError(error) && error.code === "USER_EXISTS") setErrors({ email: error.message });
          else setErrors({ form: error instanceof Error ? error.message : "The user could not be added." });
        },
      },
    );
  };

  return (
    <form onSubmit={onSubmit} noValidate data-testid="add-user-form">
      <Field id="new-user-email" label="Email" error={errors.email}>
        {(control) => (
          <input
            {...control}
            className="input"
            type="email"
            autoComplete="off"
            value={values.email}
            onChange={(e) => change("email", e.target.value)}
            data-testid="new-user-email"
          />
        )}
      </Field>
      <Field id="new-user-name" label="Name" error={errors.name}>
        {(control) => (
          <input
            {...control}
            className="input"
            autoComplete="off"
            value={values.name}
            onChange={(e) => change("name", e.target.value)}
            data-testid="new-user-name"
          />
        )}
      </Field>
      <Field id="new-user-role" label="Role" hint={roleDescriptions[values.role]}>
        {(control) => (
          <RoleSelect
            {...control}
            value={values.role}
            onChange={(role) => change("role", role)}
            adminRefusal={adminAllowance.isAllowed ? undefined : adminAllowance.reason}
            testId="new-user-role"
          />
        )}
      </Field>
      <Field
        id="new-user-password"
        label="Password (optional)"
        hint={`Leave empty to generate one, shown once after adding. At least ${minPasswordLength} characters.`}
        error={errors.password}
      >
        {(control) => (
          <input
            {...control}
            className="input"
            type="password"
            autoComplete="new-password"
            value={values.password}
            onChange={(e) => change("password", e.target.value)}
            data-testid="new-user-password"
          />
        )}
      </Field>
      {errors.form && (
        <p className="form-error" role="alert" data-testid="add-user-error">
          {errors.form}
        </p>
      )}
      <div className="dialog-footer">
        <Button onClick={onCancel} disabled={createUser.isPending}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" isPending={createUser.isPending} data-testid="submit-add-user">
          Add user
        </Button>
      </div>
    </form>
  );
}

function CreatedUserPanel({ user, onDone }: { user: CreatedUser; onDone: () => void }) {
  return (
    <div className="form" data-testid="user-created">
      <p>
        <strong>{user.name}</strong> (<span className="mono">{user.email}</span>) can now sign in.
      </p>
      {user.password ? (
        <>
          <SecretField label="Password" value={user.password} testId="generated-password" />
          <p className="notice notice-warning" role="alert" data-testid="password-warning">
            This password is shown only now. Copy it and hand it over on a safe channel; it cannot be shown again. They
            can change it on their Account page.
          </p>
        </>
      ) : (
        <p className="muted">They sign in with the password you chose.</p>
      )}
      <div className="dialog-footer">
        <Button variant="primary" onClick={onDone} data-testid="add-user-done">
          Done
        </Button>
      </div>
    </div>
  );
}
