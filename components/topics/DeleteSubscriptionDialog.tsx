"use client";

import { ConfirmDialog } from "@/components/ui/ConfirmDialog";
import { formatNumber } from "@/lib/client/format";
import { useDeleteSubscription } from "@/lib/client/topics";
import type { Subscription } from "@/lib/schemas/topic";

/** Unsubscribe, after the user types the subscription's name. */
export function DeleteSubscriptionDialog({
  topicName,
  subscription,
  onClose,
}: {
  topicName: string;
  subscription: Subscription;
  onClose: (message?: string) => void;
}) {
  const remove = useDeleteSubscription(topicName, subscription.name);
  const pending = subscription.pendingPushes;
  return (
    <ConfirmDialog
      open
      testId="delete-subscription-dialog"
      title="Delete subscription"
      description={
        <p>
          <strong className="mono">{subscription.name}</strong> stops receiving this topic's messages at once.
          {subscription.protocol === "queue"
            ? ` Messages already in queue ${subscription.endpoint} stay there.`
            : pending > 0
              ? ` Its ${formatNumber(pending)} pending ${pending === 1 ? "push is" : "pushes are"} not sent.`
              : ""}
        </p>
      }
      requireText={subscription.name}
      confirmLabel="Delete subscription"
      isPending={remove.isPending}
      error={remove.error ?? undefined}
      onCancel={() => onClose()}
      onConfirm={() =>
        remove.mutate(undefined, { onSuccess: () => onClose(`Subscription ${subscription.name} deleted.`) })
      }
    />
  );
}
