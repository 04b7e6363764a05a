"use client";

import { type ReactNode, useState } from "react";
import { Button } from "@/components/ui/Button";
import { EmptyState } from "@/components/ui/EmptyState";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { NoAccess } from "@/components/ui/NoAccess";
import { PageHeader } from "@/components/ui/PageHeader";
import { Pagination } from "@/components/ui/Pagination";
import { isApiError } from "@/lib/client/api-client";
import { useCan } from "@/lib/client/me";
import { useUrlFilter } from "@/lib/client/url-filter";
import { addUserAllowance } from "@/lib/client/user-actions";
import { matchingUsers, usersPageSize } from "@/lib/client/user-search";
import { useUsers } from "@/lib/client/users";
import type { User } from "@/lib/schemas/access";
import { AddUserDialog } from "./AddUserDialog";
import { ChangeRoleDialog } from "./ChangeRoleDialog";
import { PolicyDialog } from "./PolicyDialog";
import { ToggleUserDialog } from "./ToggleUserDialog";
import { type UserAction, UserTable } from "./UserTable";

/** The users page: who is in the account, their roles and policies, and the changes the caller may make. */
export function UserList() {
  const { can, reason, me, isLoading: isMeLoading } = useCan();
  const mayRead = can("user:read");
  const query = useUsers(mayRead);
  const [isAdding, setIsAdding] = useState(false);
  const [target, setTarget] = useState<{ action: UserAction; user: User } | null>(null);
  const close = () => setTarget(null);
  // Search and page in the URL; an account's users all arrive at once, so both apply here.
  const filter = useUrlFilter({ search: "", offset: "0" }, 200);
  const offset = /^\d{1,6}$/.test(filter.applied.offset) ? Number(filter.applied.offset) : 0;

  const addAllowance = me ? addUserAllowance(me) : null;
  const addButton = addAllowance && (
    <Button
      variant="primary"
      disabled={!addAllowance.isAllowed}
      title={addAllowance.isAllowed ? undefined : addAllowance.reason}
      onClick={() => setIsAdding(true)}
      data-testid="add-user"
    >
      Add user
    </Button>
  );
  const header = (
    <PageHeader
      title="Users"
      description="Sub-accounts of this account: their roles, and the policies that narrow them to some queues."
      actions={mayRead ? addButton : undefined}
    />
  );

  if (!isMeLoading && !mayRead) {
    return (
      <>
        {header}
        <NoAccess title="You cannot see this account's users" reason={reason("user:read")} />
      </>
    );
  }

  let content: ReactNode;
  if (query.isPending || isMeLoading) {
    content = <UserTable users={[]} me={me} isLoading />;
  } else if (query.isError && !query.data) {
    content =
      isApiError(query.error) && query.error.status === 403 ? (
        <EmptyState
          testId="users-forbidden"
          title="You cannot see this account's users"
          description={query.error.message}
        />
      ) : (
        <ErrorBox error={query.error} title="Could not load users" onRetry={() => query.refetch()} />
      );
  } else if (query.data.users.length === 0) {
    content = <EmptyState testId="users-empty" title="No users" description="Add a user to share this account." />;
  } else {
    const matching = matchingUsers(query.data.users, filter.applied.search);
    content = (
      <>
        {query.isError && (
          <ErrorBox error={query.error} title="Refresh failed; showing earlier data" onRetry={() => query.refetch()} />
        )}
        {matching.length === 0 ? (
          <EmptyState
            testId="users-no-match"
            title={`No users match “${filter.applied.search}”`}
            description="Search by email, name or role."
          />
        ) : (
          <UserTable
            users={matching.slice(offset, offset + usersPageSize)}
            me={me}
            onAction={(action, user) => setTarget({ action, user })}
          />
        )}
        {(matching.length > usersPageSize || offset > 0) && (
          <Pagination
            offset={offset}
            limit={usersPageSize}
            total={matching.length}
            onChange={(next) => filter.apply({ ...filter.applied, offset: String(next) })}
            noun="users"
          />
        )}
        <div className="list-footer">
          <span className="muted small" data-testid="users-count">
            {matching.length === query.data.users.length
              ? `${query.data.users.length} ${query.data.users.length === 1 ? "user" : "users"}`
              : `${matching.length} of ${query.data.users.length} users`}
          </span>
          <span className="muted small">The owner cannot be changed; only the owner changes admins.</span>
        </div>
      </>
    );
  }

  return (
    <>
      {header}
      <section className="card">
        {mayRead && (
          <div className="card-toolbar">
            <input
              type="search"
              className="input input-search"
              placeholder="Search by email, name or role"
              aria-label="Search users"
              maxLength={200}
              value={filter.input.search}
              onChange={(e) => filter.setInput({ search: e.target.value, offset: "0" })}
              data-testid="user-search"
            />
          </div>
        )}
        {content}
      </section>
      {me && (
        <>
          <AddUserDialog open={isAdding} onClose={() => setIsAdding(false)} me={me} />
          <ChangeRoleDialog user={target?.action === "role" ? target.user : null} me={me} onClose={close} />
          <PolicyDialog user={target?.action === "policy" ? target.user : null} onClose={close} />
          <ToggleUserDialog user={target?.action === "toggle" ? target.user : null} onClose={close} />
        </>
      )}
    </>
  );
}
