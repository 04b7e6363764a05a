"use client";

import { type FormEvent, useState } from "react";
import { Button } from "@/components/ui/Button";
import { Dialog } from "@/components/ui/Dialog";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { Field } from "@/components/ui/Field";
import { roleDescriptions, roleLabels } from "@/lib/client/access";
import { assignAdminAllowance } from "@/lib/client/user-actions";
import { type AssignableRole, useUpdateUser } from "@/lib/client/users";
import type { Me, User } from "@/lib/schemas/access";
import { RoleSelect } from "./RoleSelect";

/** Changes one user's role. `user` null = closed. */
export function ChangeRoleDialog({ user, me, onClose }: { user: User | null; me: Me; onClose: () => void }) {
  return (
    <Dialog open={user !== null} onClose={onClose} title="Change role" testId="change-role-dialog">
      {user && <ChangeRoleForm user={user} me={me} onDone={onClose} />}
    </Dialog>
  );
}

function ChangeRoleForm({ user, me, onDone }: { user: User; me: Me; onDone: () => void }) {
  const updateUser = useUpdateUser(user.id);
  const [role, setRole] = useState<AssignableRole>(user.role === "owner" ? "developer" : user.role);
  const adminAllowance = assignAdminAllowance(me);
  const isUnchanged = role === user.role;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (isUnchanged) return onDone();
    updateUser.mutate({ role }, { onSuccess: onDone });
  };

  return (
    <form onSubmit={onSubmit} noValidate>
      <p className="confirm-description">
        <span className="mono">{user.email}</span> currently has the role <strong>{roleLabels[user.role]}</strong>.
        Their resource policy stays as it is and still narrows the new role.
      </p>
      <Field id="change-role" label="New role" hint={roleDescriptions[role]}>
        {(control) => (
          <RoleSelect
            {...control}
            value={role}
            onChange={setRole}
            adminRefusal={adminAllowance.isAllowed ? undefined : adminAllowance.reason}
            testId="change-role-select"
          />
        )}
      </Field>
      {updateUser.error && <ErrorBox error={updateUser.error} title="The role was not changed" />}
      <div className="dialog-footer">
        <Button onClick={onDone} disabled={updateUser.isPending}>
          Cancel
        </Button>
        <Button
          type="submit"
          variant="primary"
          disabled={isUnchanged}
          isPending={updateUser.isPending}
          data-testid="save-role"
        >
          Save role
        </Button>
      </div>
    </form>
  );
}
