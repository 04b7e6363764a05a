import { describe, expect, it } from "vitest";
import { validateOptionalPassword, validatePasswordForm } from "./password-form";

describe("validatePasswordForm", () => {
  it("accepts a new password of 10 characters that is confirmed", () => {
    expect(
      validatePasswordForm({ currentPassword: "old-secret", newPassword: "0123456789", confirmPassword: "0123456789" }),
    ).toEqual({ ok: true, input: { currentPassword: "old-secret", newPassword: "0123456789" } });
  });

  it("checks length (on the edge), confirmation and the current password", () => {
    expect(
      validatePasswordForm({ currentPassword: "", newPassword: "012345678", confirmPassword: "012345679" }),
    ).toEqual({
      ok: false,
      errors: {
        currentPassword: "Enter your current password.",
        newPassword: "Use at least 10 characters.",
        confirmPassword: "The passwords do not match.",
      },
    });
    expect(
      validatePasswordForm({
        currentPassword: "same-password",
        newPassword: "same-password",
        confirmPassword: "same-password",
      }),
    ).toEqual({ ok: false, errors: { newPassword: "Choose a password different from the current one." } });
  });
});

describe("validateOptionalPassword", () => {
  it("allows empty (generate one) or 10+ characters", () => {
    expect(validateOptionalPassword("")).toBeUndefined();
    expect(validateOptionalPassword("0123456789")).toBeUndefined();
    expect(validateOptionalPassword("short")).toBe("Use at least 10 characters, or leave empty.");
  });
});
