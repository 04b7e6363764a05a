"use client";

import { RoleBadge } from "@/components/access/RoleBadge";
import { Badge } from "@/components/ui/Badge";
import { Button } from "@/components/ui/Button";
import { SkeletonRows } from "@/components/ui/SkeletonRows";
import { Table } from "@/components/ui/Table";
import { formatDateTime, formatRelative } from "@/lib/client/format";
import { userRowActions } from "@/lib/client/user-actions";
import type { Me, User } from "@/lib/schemas/access";
import { PolicySummary } from "./PolicySummary";

/**
 * Email, name, role, status, last login, policy, actions: fixed, so the search never moves the
 * columns; the email column holds a typical address on one line at 1440 px; below 1080 px it scrolls.
 */
const columns = ["28%", "auto", "120px", "104px", "124px", "auto", "228px"] as const;

export type UserAction = "role" | "policy" | "toggle";

type UserTableProps = {
  users: User[];
  me: Me | undefined;
  isLoading?: boolean;
  onAction?: (action: UserAction, user: User) => void;
};

/** Presentational: one row per user; the actions each row offers follow the caller's rights. */
export function UserTable({ users, me, isLoading = false, onAction }: UserTableProps) {
  return (
    <Table testId="user-table" aria-label="Users" columns={columns} minWidth={1080}>
      <thead>
        <tr>
          <th>Email</th>
          <th>Name</th>
          <th>Role</th>
          <th>Status</th>
          <th>Last login</th>
          <th>Policy</th>
          <th className="col-actions">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {isLoading && <SkeletonRows columns={7} />}
        {users.map((user) => {
          const actions = me ? userRowActions(me, user) : null;
          const isSelf = me?.user.id === user.id;
          return (
            <tr key={user.id} data-testid="user-row" data-email={user.email}>
              <td>
                <span className="user-cell-email">{user.email}</span>
                {isSelf && <span className="muted small"> (you)</span>}
              </td>
              <td>{user.name}</td>
              <td>
                <RoleBadge role={user.role} />
              </td>
              <td>
                <Badge tone={user.isDisabled ? "red" : "green"} data-testid="user-status">
                  {user.isDisabled ? "Disabled" : "Active"}
                </Badge>
              </td>
              <td className="nowrap">
                {user.lastLoginAt ? (
                  <span title={formatDateTime(user.lastLoginAt)}>{formatRelative(user.lastLoginAt)}</span>
                ) : (
                  <span className="muted">Never</span>
                )}
              </td>
              <td data-testid="user-policy">
                <PolicySummary role={user.role} statements={user.statements} />
              </td>
              <td className="col-actions">
                {actions && !actions.isHidden && onAction && (
                  <div className="row-actions" data-testid="user-actions">
                    <Button
                      size="sm"
                      disabled={!actions.change.isAllowed}
                      title={actions.change.isAllowed ? "Change the role" : actions.change.reason}
                      onClick={() => onAction("role", user)}
                      data-testid="change-role"
                    >
                      Role
                    </Button>
                    <Button
                      size="sm"
                      disabled={!actions.change.isAllowed}
                      title={actions.change.isAllowed ? "Edit the resource policy" : actions.change.reason}
                      onClick={() => onAction("policy", user)}
                      data-testid="edit-policy"
                    >
                      Policy
                    </Button>
                    <Button
                      size="sm"
                      variant={user.isDisabled ? "secondary" : "danger"}
                      disabled={!actions.toggleDisabled.isAllowed}
                      title={
                        actions.toggleDisabled.isAllowed
                          ? user.isDisabled
                            ? "Let this user sign in and use their keys again"
                            : "Stop this user's sessions and API keys"
                          : actions.toggleDisabled.reason
                      }
                      onClick={() => onAction("toggle", user)}
                      data-testid="toggle-user"
                    >
                      {user.isDisabled ? "Enable" : "Disable"}
                    </Button>
                  </div>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}
