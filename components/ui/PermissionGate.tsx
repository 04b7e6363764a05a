"use client";

import type { ReactNode } from "react";
import type { Permission } from "@/lib/auth/permissions";
import { useCan } from "@/lib/client/me";
import { NoAccess } from "./NoAccess";
import { Spinner } from "./Spinner";

/**
 * A page that needs one permission: a spinner while the caller's access loads, then the page, or
 * why the caller may not see it (under the page's header, so the visitor still knows where they are).
 */
export function PermissionGate({
  permission,
  header,
  deniedTitle,
  children,
}: {
  permission: Permission;
  header: ReactNode;
  deniedTitle: string;
  children: ReactNode;
}) {
  const { can, reason, isLoading } = useCan();
  if (isLoading) {
    return (
      <>
        {header}
        <div className="card card-padded center">
          <Spinner label="Checking your access…" />
        </div>
      </>
    );
  }
  if (!can(permission)) {
    return (
      <>
        {header}
        <NoAccess title={deniedTitle} reason={reason(permission)} />
      </>
    );
  }
  return children;
}
