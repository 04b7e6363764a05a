"use client";

import { useState } from "react";
import { Button } from "@/components/ui/Button";
import { Dialog } from "@/components/ui/Dialog";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { SecretField } from "@/components/ui/SecretField";
import { Spinner } from "@/components/ui/Spinner";
import { usePushSecret } from "@/lib/client/topics";
import type { Subscription } from "@/lib/schemas/topic";

/** An HTTP subscription's signing secret: fetched only when the user asks to see it, never kept. */
export function PushSecretDialog({
  topicName,
  subscription,
  onClose,
}: {
  topicName: string;
  subscription: Subscription;
  onClose: () => void;
}) {
  const [isRevealed, setIsRevealed] = useState(false);
  const query = usePushSecret(topicName, subscription.name, isRevealed);
  return (
    <Dialog
      open
      onClose={onClose}
      title={`Signing secret of ${subscription.name}`}
      testId="push-secret-dialog"
      footer={<Button onClick={onClose}>Close</Button>}
    >
      <p>
        Each push to <span className="mono subscription-endpoint">{subscription.endpoint}</span> carries an HMAC
        signature made with this secret, so the receiver can check that the message came from this server. Keep it on
        the receiving side only.
      </p>
      {!isRevealed ? (
        <Button onClick={() => setIsRevealed(true)} data-testid="reveal-secret">
          Show secret
        </Button>
      ) : query.isPending ? (
        <Spinner label="Loading the secret…" />
      ) : query.isError ? (
        <ErrorBox error={query.error} title="Could not load the secret" onRetry={() => query.refetch()} />
      ) : (
        <SecretField label="Secret" value={query.data.secret} testId="push-secret" />
      )}
    </Dialog>
  );
}
