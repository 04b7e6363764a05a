"use client";

import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { type FormEvent, useState } from "react";
import { Button } from "@/components/ui/Button";
import { Field } from "@/components/ui/Field";

export function LoginForm({ callbackUrl }: { callbackUrl: string }) {
  const router = useRouter();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [isPending, setIsPending] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setIsPending(true);
    try {
      const result = await signIn("credentials", { redirect: false, email, password, callbackUrl });
      if (!result || result.error || !result.ok) {
        setError(loginErrorText(result?.error));
        setIsPending(false);
        return;
      }
      router.replace(callbackUrl);
      router.refresh();
    } catch {
      setError("The server could not be reached. Try again.");
      setIsPending(false);
    }
  };

  return (
    <form className="login-form" onSubmit={onSubmit} data-testid="login-form">
      <Field id="email" label="Email">
        {(control) => (
          <input
            {...control}
            className="input"
            type="email"
            name="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        )}
      </Field>
      <Field id="password" label="Password">
        {(control) => (
          <input
            {...control}
            className="input"
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        )}
      </Field>
      {error && (
        <p className="form-error" role="alert" data-testid="login-error">
          {error}
        </p>
      )}
      <Button type="submit" variant="primary" className="btn-block" isPending={isPending}>
        Sign in
      </Button>
    </form>
  );
}

/**
 * next-auth reports a refused login as CredentialsSignin: say no more than that. A locked email says
 * so, with the minutes left (it is said for any password and for unknown emails alike).
 */
export function loginErrorText(error: string | null | undefined): string {
  const locked = /^SignInLocked-(\d+)$/.exec(error ?? "");
  if (locked) {
    const minutes = Number(locked[1]);
    return `Too many failed sign-ins with this email. Try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"}.`;
  }
  return !error || error === "CredentialsSignin" ? "Wrong email or password" : "Sign-in failed. Try again.";
}
