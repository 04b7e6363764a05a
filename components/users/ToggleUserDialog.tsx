"use client";

import { ConfirmDialog } from "@/components/ui/ConfirmDialog";
import { useUpdateUser } from "@/lib/client/users";
import type { User } from "@/lib/schemas/access";

/** Asks before disabling (or enabling) a user. `user` null = closed. */
export function ToggleUserDialog({ user, onClose }: { user: User | null; onClose: () => void }) {
  // Keyed by user so each opening gets its own mutation state.
  return user ? <ToggleUserConfirm key={user.id} user={user} onClose={onClose} /> : null;
}

function ToggleUserConfirm({ user, onClose }: { user: User; onClose: () => void }) {
  const updateUser = useUpdateUser(user.id);
  const isDisabling = !user.isDisabled;
  return (
    <ConfirmDialog
      open
      testId="toggle-user-dialog"
      title={isDisabling ? "Disable user" : "Enable user"}
      description={
        isDisabling ? (
          <p>
            <strong className="mono">{user.email}</strong> will no longer be able to sign in. Their open console
            sessions and every API key they own stop working within seconds. Nothing of theirs is deleted; you can
            enable them again.
          </p>
        ) : (
          <p>
            <strong className="mono">{user.email}</strong> can sign in again, and their API keys that are not disabled
            work again.
          </p>
        )
      }
      confirmLabel={isDisabling ? "Disable user" : "Enable user"}
      confirmVariant={isDisabling ? "danger" : "primary"}
      isPending={updateUser.isPending}
      error={updateUser.error ?? undefined}
      onCancel={onClose}
      onConfirm={() => updateUser.mutate({ isDisabled: isDisabling }, { onSuccess: onClose })}
    />
  );
}
