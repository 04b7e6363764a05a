"use client";

import { type FormEvent, useState } from "react";
import { Button } from "@/components/ui/Button";
import { Field } from "@/components/ui/Field";
import { isApiError } from "@/lib/client/api-client";
import { useChangePassword } from "@/lib/client/me";
import {
  emptyPasswordForm,
  minPasswordLength,
  type PasswordFormErrors,
  type PasswordFormValues,
  validatePasswordForm,
} from "@/lib/client/password-form";

const fields: { key: keyof PasswordFormValues; label: string; autoComplete: string; hint?: string }[] = [
  { key: "currentPassword", label: "Current password", autoComplete: "current-password" },
  {
    key: "newPassword",
    label: "New password",
    autoComplete: "new-password",
    hint: `At least ${minPasswordLength} characters. A few unrelated words make a strong one.`,
  },
  { key: "confirmPassword", label: "Confirm new password", autoComplete: "new-password" },
];

export function ChangePasswordForm() {
  const changePassword = useChangePassword();
  const [values, setValues] = useState<PasswordFormValues>(emptyPasswordForm);
  const [errors, setErrors] = useState<PasswordFormErrors>({});
  const [isChanged, setIsChanged] = useState(false);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setIsChanged(false);
    const result = validatePasswordForm(values);
    if (!result.ok) return setErrors(result.errors);
    setErrors({});
    changePassword.mutate(result.input, {
      onSuccess: () => {
        setValues(emptyPasswordForm);
        setIsChanged(true);
      },
      onError: (error) => {
        if (isApiError(error) && error.code === "PASSWORD_INCORRECT") setErrors({ currentPassword: error.message });
        else setErrors({ form: error instanceof Error ? error.message : "The password was not changed." });
      },
    });
  };

  return (
    <section className="card card-padded">
      <div className="card-header">
        <h2 className="card-title">Change password</h2>
      </div>
      <form className="form form-narrow" onSubmit={onSubmit} noValidate data-testid="change-password-form">
        {fields.map(({ key, label, autoComplete, hint }) => (
          <Field key={key} id={key} label={label} hint={hint} error={errors[key]}>
            {(control) => (
              <input
                {...control}
                className="input"
                type="password"
                autoComplete={autoComplete}
                value={values[key]}
                onChange={(e) => {
                  setValues((v) => ({ ...v, [key]: e.target.value }));
                  setErrors(({ [key]: _, form: __, ...rest }) => rest);
                  setIsChanged(false);
                }}
                data-testid={`field-${key}`}
              />
            )}
          </Field>
        ))}
        {errors.form && (
          <p className="form-error" role="alert" data-testid="password-form-error">
            {errors.form}
          </p>
        )}
        {isChanged && (
          <p className="notice notice-success" role="status" data-testid="password-changed">
            Password changed. Every session of yours has ended, this one too: <a href="/login">sign in again</a> with
            the new password.
          </p>
        )}
        <div className="form-actions form-actions-start">
          <Button type="submit" variant="primary" isPending={changePassword.isPending} data-testid="submit-password">
            Change password
          </Button>
        </div>
      </form>
    </section>
  );
}
