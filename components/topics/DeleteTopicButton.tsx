"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/Button";
import { ConfirmDialog } from "@/components/ui/ConfirmDialog";
import { Dialog } from "@/components/ui/Dialog";
import { formatNumber } from "@/lib/client/format";
import { useDeleteTopic } from "@/lib/client/topics";
import type { Topic } from "@/lib/schemas/topic";

/**
 * Deletes a topic after the user types its name. A topic with subscriptions cannot be deleted (as in
 * CMQ): the dialog says so and why, instead of offering a step the server would refuse.
 */
export function DeleteTopicButton({ topic }: { topic: Topic }) {
  const router = useRouter();
  const deleteTopic = useDeleteTopic(topic.name);
  const [isOpen, setIsOpen] = useState(false);

  const close = () => {
    setIsOpen(false);
    deleteTopic.reset();
  };
  const count = topic.subscriptionCount;

  return (
    <>
      <Button variant="danger" onClick={() => setIsOpen(true)} data-testid="delete-topic">
        Delete topic
      </Button>
      {count > 0 ? (
        <Dialog
          open={isOpen}
          onClose={close}
          title="This topic cannot be deleted yet"
          testId="delete-topic-refused"
          footer={<Button onClick={close}>Close</Button>}
        >
          <p>
            <strong className="mono">{topic.name}</strong> has {formatNumber(count)}{" "}
            {count === 1 ? "subscription" : "subscriptions"}. A topic is deleted only once nothing subscribes to it, so
            that no subscriber stops receiving messages by surprise: delete its subscriptions first (Subscriptions tab).
          </p>
        </Dialog>
      ) : (
        <ConfirmDialog
          open={isOpen}
          testId="delete-topic-dialog"
          title="Delete topic"
          description={
            <p>
              This deletes <strong className="mono">{topic.name}</strong> and its recent messages, at once and for good.
              Publishers using it will get “topic not found”.
            </p>
          }
          requireText={topic.name}
          confirmLabel="Delete topic"
          isPending={deleteTopic.isPending}
          error={deleteTopic.error ?? undefined}
          onCancel={close}
          onConfirm={() =>
            deleteTopic.mutate(undefined, {
              onSuccess: () => router.replace(`/topics?deleted=${encodeURIComponent(topic.name)}`),
            })
          }
        />
      )}
    </>
  );
}
