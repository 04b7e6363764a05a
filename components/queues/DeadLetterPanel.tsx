"use client";

import Link from "next/link";
import { type FormEvent, useState } from "react";
import { Button } from "@/components/ui/Button";
import { ConfirmDialog } from "@/components/ui/ConfirmDialog";
import { DeniedNote } from "@/components/ui/DeniedNote";
import { ErrorBox } from "@/components/ui/ErrorBox";
import {
  type DeadLetterFormErrors,
  type DeadLetterFormValues,
  deadLetterFormOf,
  describeDeadLetterRule,
  isSameDeadLetter,
  validateDeadLetterForm,
} from "@/lib/client/dead-letter-form";
import { formatDuration } from "@/lib/client/format";
import { useCan } from "@/lib/client/me";
import { useDeadLetterSources, useSetDeadLetter } from "@/lib/client/operations";
import { deadLetterOf } from "@/lib/client/operator-contract";
import type { Queue } from "@/lib/schemas/queue";
import { DeadLetterFields } from "./DeadLetterFields";

const queueHref = (name: string) => `/queues/${encodeURIComponent(name)}`;

/** Where this queue's dead messages go (bind, change, unbind) and which queues send theirs here. */
export function DeadLetterPanel({ queue }: { queue: Queue }) {
  const deadLetter = deadLetterOf(queue);
  const { can, reason, isLoading } = useCan();
  const mayEdit = can("queue:SetQueueAttributes", queue.name);
  const [isEditing, setIsEditing] = useState(false);
  const [isUnbinding, setIsUnbinding] = useState(false);
  const setDeadLetter = useSetDeadLetter(queue.name);
  const sources = useDeadLetterSources(queue.name, can("queue:GetQueueAttributes", queue.name));
  const sourceQueues = sources.data?.queues ?? [];

  return (
    <section className="card card-padded" data-testid="dead-letter-panel">
      <div className="card-header">
        <h2 className="card-title">Dead letters</h2>
        {!isEditing &&
          (mayEdit ? (
            <div className="row-actions">
              <Button size="sm" onClick={() => setIsEditing(true)} data-testid="edit-dead-letter">
                {deadLetter ? "Change" : "Set dead-letter queue"}
              </Button>
              {deadLetter && (
                <Button
                  size="sm"
                  variant="danger"
                  onClick={() => setIsUnbinding(true)}
                  data-testid="unbind-dead-letter"
                >
                  Unbind
                </Button>
              )}
            </div>
          ) : (
            !isLoading && (
              <DeniedNote reason={reason("queue:SetQueueAttributes", queue.name)} testId="dead-letter-denied">
                Read-only
              </DeniedNote>
            )
          ))}
      </div>
      {isEditing ? (
        <DeadLetterForm queue={queue} onDone={() => setIsEditing(false)} />
      ) : (
        <dl className="attribute-list">
          <div className="attribute-row">
            <dt>Dead-letter queue</dt>
            <dd data-testid="attribute-deadLetter">
              {deadLetter ? (
                <>
                  <Link href={queueHref(deadLetter.queue)}>{deadLetter.queue}</Link>{" "}
                  <span className="muted">{describeDeadLetterRule(deadLetter, formatDuration)}</span>
                </>
              ) : (
                <span className="muted">None: messages are received again and again until they expire</span>
              )}
            </dd>
          </div>
          {sourceQueues.length > 0 && (
            <div className="attribute-row">
              <dt>Dead letters from</dt>
              <dd data-testid="dead-letter-sources">
                {sourceQueues.map((q, i) => (
                  <span key={q.id}>
                    {i > 0 && ", "}
                    <Link href={queueHref(q.name)}>{q.name}</Link>
                  </span>
                ))}
              </dd>
            </div>
          )}
        </dl>
      )}
      <ConfirmDialog
        open={isUnbinding}
        title="Unbind the dead-letter queue"
        description={
          <p>
            Messages of “{queue.name}” will no longer move to “{deadLetter?.queue}”. Messages already there stay.
          </p>
        }
        confirmLabel="Unbind"
        isPending={setDeadLetter.isPending}
        error={setDeadLetter.error ?? undefined}
        onConfirm={() => setDeadLetter.mutate(null, { onSuccess: () => setIsUnbinding(false) })}
        onCancel={() => {
          setDeadLetter.reset();
          setIsUnbinding(false);
        }}
        testId="unbind-dialog"
      />
    </section>
  );
}

function DeadLetterForm({ queue, onDone }: { queue: Queue; onDone: () => void }) {
  const current = deadLetterOf(queue);
  const setDeadLetter = useSetDeadLetter(queue.name);
  const [values, setValues] = useState<DeadLetterFormValues>(() => deadLetterFormOf(current));
  const [errors, setErrors] = useState<DeadLetterFormErrors>({});
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const result = validateDeadLetterForm(values, queue.name);
    if (!result.ok) return setErrors(result.errors);
    if (isSameDeadLetter(result.deadLetter, current)) return onDone();
    setDeadLetter.mutate(result.deadLetter, { onSuccess: onDone });
  };
  return (
    <form className="form" onSubmit={submit} noValidate data-testid="dead-letter-form">
      <DeadLetterFields
        idPrefix="dlq-edit"
        sourceName={queue.name}
        values={values}
        errors={errors}
        onChange={(key, value) => {
          setValues((v) => ({ ...v, [key]: value }));
          setErrors(({ [key]: _, ...rest }) => rest);
        }}
      />
      {setDeadLetter.error && <ErrorBox error={setDeadLetter.error} title="Could not save the dead-letter queue" />}
      <div className="form-actions">
        <Button onClick={onDone} disabled={setDeadLetter.isPending}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" isPending={setDeadLetter.isPending} data-testid="save-dead-letter">
          Save
        </Button>
      </div>
    </form>
  );
}
