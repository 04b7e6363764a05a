"use client";

import { type ReactNode, useState } from "react";
import { Button } from "@/components/ui/Button";
import { EmptyState } from "@/components/ui/EmptyState";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { NoAccess } from "@/components/ui/NoAccess";
import { PageHeader } from "@/components/ui/PageHeader";
import { type CreatedApiKey, useApiKeys } from "@/lib/client/api-keys";
import { useCan } from "@/lib/client/me";
import type { ApiKey } from "@/lib/schemas/access";
import { DeleteApiKeyDialog, ToggleApiKeyDialog } from "./ApiKeyDialogs";
import { type ApiKeyAction, ApiKeyTable } from "./ApiKeyTable";
import { CreateApiKeyDialog } from "./CreateApiKeyDialog";
import { NewApiKeyPanel } from "./NewApiKeyPanel";

/** The API keys page: the caller's keys (every key, for those with apikey:read), create, disable, delete. */
export function ApiKeyList() {
  const { can, reason, me, isLoading: isMeLoading } = useCan();
  const mayOwn = can("apikey:own");
  const seesAll = can("apikey:read");
  const query = useApiKeys(mayOwn || seesAll);
  const [isCreating, setIsCreating] = useState(false);
  const [newKey, setNewKey] = useState<CreatedApiKey | null>(null);
  const [target, setTarget] = useState<{ action: ApiKeyAction; key: ApiKey } | null>(null);

  const createButton = me && (
    <Button
      variant="primary"
      disabled={!mayOwn}
      title={mayOwn ? undefined : reason("apikey:own")}
      onClick={() => setIsCreating(true)}
      data-testid="create-api-key"
    >
      Create API key
    </Button>
  );
  const header = (
    <PageHeader
      title="API keys"
      description={
        seesAll
          ? "Every key of this account. Applications authenticate with a SecretId and SecretKey."
          : "Your keys. Applications authenticate with a SecretId and SecretKey, and may do what you may."
      }
      actions={mayOwn || seesAll ? createButton : undefined}
    />
  );

  if (!isMeLoading && !mayOwn && !seesAll) {
    return (
      <>
        {header}
        <NoAccess title="You cannot use API keys" reason={reason("apikey:own")} />
      </>
    );
  }

  let content: ReactNode;
  if (query.isPending || isMeLoading) {
    content = <ApiKeyTable keys={[]} me={me} isShowingUsers={seesAll} isLoading />;
  } else if (query.isError && !query.data) {
    content = <ErrorBox error={query.error} title="Could not load API keys" onRetry={() => query.refetch()} />;
  } else if (query.data.keys.length === 0) {
    content = (
      <EmptyState
        testId="api-keys-empty"
        title="No API keys yet"
        description="Create a key for each application that sends or receives messages, so you can disable one without touching the others."
        action={mayOwn ? createButton : undefined}
      />
    );
  } else {
    const { keys } = query.data;
    content = (
      <>
        {query.isError && (
          <ErrorBox error={query.error} title="Refresh failed; showing earlier data" onRetry={() => query.refetch()} />
        )}
        <ApiKeyTable
          keys={keys}
          me={me}
          isShowingUsers={seesAll}
          onAction={(action, key) => setTarget({ action, key })}
        />
        <div className="list-footer">
          <span className="muted small" data-testid="api-keys-count">
            {keys.length} {keys.length === 1 ? "key" : "keys"}
          </span>
          <span className="muted small">SecretKeys are shown once, when a key is created.</span>
        </div>
      </>
    );
  }

  return (
    <>
      {header}
      {newKey && <NewApiKeyPanel apiKey={newKey} onDismiss={() => setNewKey(null)} />}
      <section className="card">{content}</section>
      {me && (
        <CreateApiKeyDialog
          open={isCreating}
          me={me}
          onClose={() => setIsCreating(false)}
          onCreated={(key) => {
            setIsCreating(false);
            setNewKey(key);
          }}
        />
      )}
      {target?.action === "toggle" && (
        <ToggleApiKeyDialog key={target.key.id} apiKey={target.key} onClose={() => setTarget(null)} />
      )}
      {target?.action === "delete" && (
        <DeleteApiKeyDialog key={target.key.id} apiKey={target.key} onClose={() => setTarget(null)} />
      )}
    </>
  );
}
