"use client";

import { useState } from "react";
import { Button } from "@/components/ui/Button";
import { DeniedNote } from "@/components/ui/DeniedNote";
import { useCan } from "@/lib/client/me";
import { attributeFields, describeValue } from "@/lib/client/queue-form";
import type { Queue } from "@/lib/schemas/queue";
import { EditQueueForm } from "./EditQueueForm";

/** The attributes as a read-only list, or the edit form in its place. */
export function QueueAttributesPanel({ queue }: { queue: Queue }) {
  const [isEditing, setIsEditing] = useState(false);
  const [savedAt, setSavedAt] = useState<number | null>(null);
  const { can, reason, isLoading: isMeLoading } = useCan();
  const mayEdit = can("queue:SetQueueAttributes", queue.name);

  return (
    <section className="card card-padded" data-testid="queue-attributes">
      <div className="card-header">
        <h2 className="card-title">Attributes</h2>
        {!isEditing &&
          (mayEdit ? (
            <Button size="sm" onClick={() => setIsEditing(true)} data-testid="edit-attributes">
              Edit
            </Button>
          ) : (
            !isMeLoading && (
              <DeniedNote reason={reason("queue:SetQueueAttributes", queue.name)} testId="edit-denied">
                Read-only
              </DeniedNote>
            )
          ))}
      </div>
      {isEditing && mayEdit ? (
        <EditQueueForm
          queue={queue}
          onDone={(isSaved) => {
            setIsEditing(false);
            if (isSaved) setSavedAt(Date.now());
          }}
        />
      ) : (
        <>
          {savedAt && (
            <p className="notice notice-success" role="status" data-testid="attributes-saved">
              Attributes saved.
            </p>
          )}
          <dl className="attribute-list">
            {attributeFields.map(({ key, label, help }) => (
              <div key={key} className="attribute-row">
                <dt title={help}>{label}</dt>
                <dd data-testid={`attribute-${key}`}>{describeValue(key, queue[key])}</dd>
              </div>
            ))}
          </dl>
        </>
      )}
    </section>
  );
}
