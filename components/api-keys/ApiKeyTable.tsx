"use client";

import { Badge } from "@/components/ui/Badge";
import { Button } from "@/components/ui/Button";
import { Email } from "@/components/ui/Email";
import { SkeletonRows } from "@/components/ui/SkeletonRows";
import { Table } from "@/components/ui/Table";
import { apiKeyRowAllowance } from "@/lib/client/api-key-actions";
import { formatDateTime, formatRelative } from "@/lib/client/format";
import type { ApiKey, Me } from "@/lib/schemas/access";

export type ApiKeyAction = "toggle" | "delete";

type ApiKeyTableProps = {
  keys: ApiKey[];
  me: Me | undefined;
  /** Adds the owner column (callers who see every key of the account). */
  isShowingUsers: boolean;
  isLoading?: boolean;
  onAction?: (action: ApiKeyAction, key: ApiKey) => void;
};

/** Presentational: one row per key. SecretKeys are never here — the API does not return them. */
export function ApiKeyTable({ keys, me, isShowingUsers, isLoading = false, onAction }: ApiKeyTableProps) {
  const columns = isShowingUsers ? 7 : 6;
  return (
    <Table testId="api-key-table" aria-label="API keys" className="table-compact">
      <thead>
        <tr>
          <th>SecretId</th>
          {isShowingUsers && <th>User</th>}
          <th>Permissions</th>
          <th>Status</th>
          <th>Last used</th>
          <th>Created</th>
          <th className="col-actions">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {isLoading && <SkeletonRows columns={columns} />}
        {keys.map((key) => {
          const allowance = me ? apiKeyRowAllowance(me, key) : null;
          return (
            <tr key={key.id} data-testid="api-key-row" data-secret-id={key.secretId}>
              <td>
                <code className="mono key-secret-id" data-testid="api-key-secret-id">
                  {key.secretId}
                </code>
                <div className="muted small">{key.description || "No description"}</div>
              </td>
              {isShowingUsers && (
                <td className="key-user" data-testid="api-key-user">
                  <Email address={key.userEmail} />
                  {key.userId === me?.user.id && <div className="muted small">(you)</div>}
                </td>
              )}
              <td data-testid="api-key-permissions">
                {key.permissions.length === 0 ? (
                  <span className="muted">All of the user’s</span>
                ) : (
                  <div className="tags">
                    {key.permissions.map((p) =>
                      key.ineffectivePermissions.includes(p) ? (
                        // The role was lowered after the key was made: this entry grants nothing now.
                        <span
                          key={p}
                          className="tag mono tag-ineffective"
                          title={`${key.userEmail}'s role does not include ${p}: it has no effect`}
                          data-testid="api-key-ineffective"
                        >
                          ⚠ {p}
                        </span>
                      ) : (
                        <span key={p} className="tag mono">
                          {p}
                        </span>
                      ),
                    )}
                  </div>
                )}
              </td>
              <td>
                <Badge tone={key.isDisabled ? "red" : "green"} data-testid="api-key-status">
                  {key.isDisabled ? "Disabled" : "Active"}
                </Badge>
              </td>
              <td className="nowrap" data-testid="api-key-last-used">
                {key.lastUsedAt ? (
                  <span title={formatDateTime(key.lastUsedAt)}>{formatRelative(key.lastUsedAt)}</span>
                ) : (
                  <span className="muted">Never</span>
                )}
              </td>
              <td className="nowrap">
                <span title={formatDateTime(key.createdAt)}>{formatRelative(key.createdAt)}</span>
              </td>
              <td className="col-actions">
                {allowance && onAction && (
                  <div className="row-actions">
                    <Button
                      size="sm"
                      disabled={!allowance.isAllowed}
                      title={
                        allowance.isAllowed
                          ? key.isDisabled
                            ? "Let this key authenticate again"
                            : "Refuse this key until enabled again"
                          : allowance.reason
                      }
                      onClick={() => onAction("toggle", key)}
                      data-testid="toggle-api-key"
                    >
                      {key.isDisabled ? "Enable" : "Disable"}
                    </Button>
                    <Button
                      size="sm"
                      variant="danger"
                      disabled={!allowance.isAllowed}
                      title={allowance.isAllowed ? "Delete this key for good" : allowance.reason}
                      onClick={() => onAction("delete", key)}
                      data-testid="delete-api-key"
                    >
                      Delete
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
