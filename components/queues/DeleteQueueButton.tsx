"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/Button";
import { ConfirmDialog } from "@/components/ui/ConfirmDialog";
import { useDeleteQueue } from "@/lib/client/queues";

export function DeleteQueueButton({ name }: { name: string }) {
  const router = useRouter();
  const deleteQueue = useDeleteQueue(name);
  const [isOpen, setIsOpen] = useState(false);

  const close = () => {
    setIsOpen(false);
    deleteQueue.reset();
  };

  return (
    <>
      <Button variant="danger" onClick={() => setIsOpen(true)} data-testid="delete-queue">
        Delete queue
      </Button>
      <ConfirmDialog
        open={isOpen}
        testId="delete-queue-dialog"
        title="Delete queue"
        description={
          <p>
            This deletes <strong className="mono">{name}</strong> and every message in it, at once and for good.
            Producers and consumers using it will get “queue not found”.
          </p>
        }
        requireText={name}
        confirmLabel="Delete queue"
        isPending={deleteQueue.isPending}
        error={deleteQueue.error ?? undefined}
        onCancel={close}
        onConfirm={() =>
          deleteQueue.mutate(undefined, {
            onSuccess: () => router.replace(`/queues?deleted=${encodeURIComponent(name)}`),
          })
        }
      />
    </>
  );
}
