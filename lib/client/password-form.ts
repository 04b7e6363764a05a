// The change-password form: the same minimum the API enforces (passwordSchema), plus the
// confirmation only a form needs.

export const minPasswordLength = 10;

export type PasswordFormValues = { currentPassword: string; newPassword: string; confirmPassword: string };
export type PasswordFormErrors = Partial<Record<keyof PasswordFormValues | "form", string>>;

export const emptyPasswordForm: PasswordFormValues = { currentPassword: "", newPassword: "", confirmPassword: "" };

type Validated =
  | { ok: true; input: { currentPassword: string; newPassword: string } }
  | { ok: false; errors: PasswordFormErrors };

export function validatePasswordForm(values: PasswordFormValues): Validated {
  const errors: PasswordFormErrors = {};
  if (values.currentPassword === "") errors.currentPassword = "Enter your current password.";
  if (values.newPassword.length < minPasswordLength) {
    errors.newPassword = `Use at least ${minPasswordLength} characters.`;
  } else if (values.newPassword.length > 200) {
    errors.newPassword = "Use at most 200 characters.";
  } else if (values.newPassword === values.currentPassword) {
    errors.newPassword = "Choose a password different from the current one.";
  }
  if (values.confirmPassword !== values.newPassword) errors.confirmPassword = "The passwords do not match.";
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, input: { currentPassword: values.currentPassword, newPassword: values.newPassword } };
}

/** Optional password when adding a user: empty means "generate one". */
export function validateOptionalPassword(password: string): string | undefined {
  if (password === "") return undefined;
  return password.length < minPasswordLength
    ? `Use at least ${minPasswordLength} characters, or leave empty.`
    : undefined;
}
