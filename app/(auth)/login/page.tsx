import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getServerSession } from "next-auth";
import { LoginForm } from "@/components/auth/LoginForm";
import { authOptions } from "@/lib/auth/next-auth";
import { safeCallbackUrl } from "@/lib/client/callback-url";

export const metadata: Metadata = { title: "Sign in · OpenCMQ" };

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[]>>;
}) {
  const callbackUrl = safeCallbackUrl((await searchParams).callbackUrl);
  const session = await getServerSession(authOptions);
  if (session?.user) redirect(callbackUrl);

  return (
    <main className="login-page">
      <div className="login-card">
        <div className="login-brand">
          <span className="brand-mark brand-mark-lg" aria-hidden="true">
            <span />
            <span />
            <span />
          </span>
          <span>OpenCMQ</span>
        </div>
        <h1 className="login-title">Sign in to the console</h1>
        <p className="login-subtitle">Manage your queues, send test messages and watch them flow.</p>
        <LoginForm callbackUrl={callbackUrl} />
      </div>
      <p className="login-footnote">Self-hosted, CMQ-compatible message queues</p>
    </main>
  );
}
