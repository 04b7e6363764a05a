"use client";

import Link from "next/link";
import { RoleBadge } from "@/components/access/RoleBadge";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { PageHeader } from "@/components/ui/PageHeader";
import { Spinner } from "@/components/ui/Spinner";
import { roleDescriptions } from "@/lib/client/access";
import { useMe } from "@/lib/client/me";
import { PolicySummary } from "../users/PolicySummary";
import { ChangePasswordForm } from "./ChangePasswordForm";
import { DisplaySettings } from "./DisplaySettings";

/** The signed-in user's page: who they are, what their role lets them do, and their password. */
export function AccountOverview() {
  const query = useMe();
  const header = <PageHeader title="Your account" description="Your sign-in, your role, and your password." />;

  if (query.isPending) {
    return (
      <>
        {header}
        <div className="card card-padded center">
          <Spinner label="Loading your account…" />
        </div>
      </>
    );
  }
  if (query.isError && !query.data) {
    return (
      <>
        {header}
        <ErrorBox error={query.error} title="Could not load your account" onRetry={() => query.refetch()} />
      </>
    );
  }

  const { user, account, access } = query.data;
  return (
    <>
      {header}
      <div className="detail-grid">
        {/* Profile and display settings share the left column, so neither waits below the password card. */}
        <div className="card-stack">
          <section className="card card-padded" data-testid="account-details">
            <div className="card-header">
              <h2 className="card-title">Profile</h2>
            </div>
            <dl className="attribute-list">
              <div className="attribute-row">
                <dt>Email</dt>
                <dd data-testid="account-email">{user.email}</dd>
              </div>
              <div className="attribute-row">
                <dt>Name</dt>
                <dd>{user.name}</dd>
              </div>
              <div className="attribute-row">
                <dt>Role</dt>
                <dd data-testid="account-role">
                  <RoleBadge role={user.role} />
                </dd>
              </div>
              <div className="attribute-row">
                <dt>Account</dt>
                <dd>{account.name}</dd>
              </div>
              <div className="attribute-row">
                <dt>Policy</dt>
                <dd className="attribute-policy">
                  <PolicySummary role={user.role} statements={access.statements} />
                </dd>
              </div>
            </dl>
            <p className="muted small account-note">
              {roleDescriptions[user.role]} For applications, create an <Link href="/access/keys">API key</Link>.
            </p>
          </section>
          <DisplaySettings />
        </div>
        <ChangePasswordForm />
      </div>
    </>
  );
}
