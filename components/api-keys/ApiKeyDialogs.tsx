"use client";

import { ConfirmDialog } from "@/components/ui/ConfirmDialog";
import { useDeleteApiKey, useUpdateApiKey } from "@/lib/client/api-keys";
import type { ApiKey } from "@/lib/schemas/access";

/** Asks before disabling or enabling a key. */
export function ToggleApiKeyDialog({ apiKey, onClose }: { apiKey: ApiKey; onClose: () => void }) {
  const updateKey = useUpdateApiKey(apiKey.id);
  const isDisabling = !apiKey.isDisabled;
  return (
    <ConfirmDialog
      open
      testId="toggle-api-key-dialog"
      title={isDisabling ? "Disable API key" : "Enable API key"}
      description={
        isDisabling ? (
          <p>
            Requests signed with <strong className="mono">{apiKey.secretId}</strong> are refused (401) from now on,
            through the REST and the CMQ API. You can enable the key again later.
          </p>
        ) : (
          <p>
            <strong className="mono">{apiKey.secretId}</strong> authenticates again, with the permissions of its user.
          </p>
        )
      }
      confirmLabel={isDisabling ? "Disable key" : "Enable key"}
      confirmVariant={isDisabling ? "danger" : "primary"}
      isPending={updateKey.isPending}
      error={updateKey.error ?? undefined}
      onCancel={onClose}
      onConfirm={() => updateKey.mutate({ isDisabled: isDisabling }, { onSuccess: onClose })}
    />
  );
}

/** Asks before deleting a key; the SecretId must be typed, as the step cannot be undone. */
export function DeleteApiKeyDialog({ apiKey, onClose }: { apiKey: ApiKey; onClose: () => void }) {
  const deleteKey = useDeleteApiKey(apiKey.id);
  return (
    <ConfirmDialog
      open
      testId="delete-api-key-dialog"
      title="Delete API key"
      description={
        <p>
          This deletes <strong className="mono">{apiKey.secretId}</strong>
          {apiKey.description ? ` (${apiKey.description})` : ""} for good. Every application using it stops
          authenticating at once. To pause a key instead, disable it.
        </p>
      }
      requireText={apiKey.secretId}
      confirmLabel="Delete key"
      isPending={deleteKey.isPending}
      error={deleteKey.error ?? undefined}
      onCancel={onClose}
      onConfirm={() => deleteKey.mutate(undefined, { onSuccess: onClose })}
    />
  );
}
