"use client";

import { useState } from "react";
import { BulkActionDialog } from "@/components/messages/BulkActionDialog";
import { Button } from "@/components/ui/Button";

/** The queue page's purge: all messages or those of one state, confirmed with the exact count. */
export function PurgeControl({ queueName }: { queueName: string }) {
  const [isOpen, setIsOpen] = useState(false);
  return (
    <>
      <Button variant="danger" onClick={() => setIsOpen(true)} data-testid="purge-queue">
        Purge…
      </Button>
      {isOpen && (
        <BulkActionDialog
          open
          onClose={() => setIsOpen(false)}
          queueName={queueName}
          kind="purge"
          filter={{ state: "all" }}
          description="all messages"
          isStateChosen
        />
      )}
    </>
  );
}
