"use client";

import { type FormEvent, useId, useState } from "react";
import { Button } from "@/components/ui/Button";
import { ConfirmDialog } from "@/components/ui/ConfirmDialog";
import { DateTimeInput } from "@/components/ui/DateTimeInput";
import { Field } from "@/components/ui/Field";
import { formatDateTime, formatDuration, formatNumber } from "@/lib/client/format";
import { isoOfLocalInput, localInputOfIso } from "@/lib/client/message-browser-filter";
import { useRewindQueue } from "@/lib/client/operations";
import type { Queue } from "@/lib/schemas/queue";

/**
 * RewindQueue: deliver again, in production order, every message produced since a time within the
 * rewind window. Shows how many deleted messages are kept (CMQ's rewindmsgNum).
 */
export function RewindPanel({ queue }: { queue: Queue }) {
  const rewind = useRewindQueue(queue.name);
  const id = useId();
  const [value, setValue] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const kept = queue.counts.rewindable;

  if (queue.rewindSeconds === 0) {
    return (
      <section className="card card-padded" data-testid="rewind-panel">
        <div className="card-header">
          <h2 className="card-title">Rewind</h2>
        </div>
        <p className="muted" data-testid="rewind-off">
          Rewind is off: deleted messages are not kept. Set a rewind window in the attributes to turn it on.
        </p>
      </section>
    );
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const iso = isoOfLocalInput(value);
    const earliest = Date.now() - queue.rewindSeconds * 1000;
    if (!iso) return setError("Choose a time.");
    if (Date.parse(iso) < earliest - 60_000 || Date.parse(iso) > Date.now() + 60_000) {
      return setError(`Choose a time within the last ${formatDuration(queue.rewindSeconds)}.`);
    }
    setConfirming(iso);
  };

  return (
    <section className="card card-padded" data-testid="rewind-panel">
      <div className="card-header">
        <h2 className="card-title">Rewind</h2>
        <span className="muted small" data-testid="rewind-kept">
          {formatNumber(kept)} deleted {kept === 1 ? "message" : "messages"} kept (window{" "}
          {formatDuration(queue.rewindSeconds)})
        </span>
      </div>
      <form className="form rewind-form" onSubmit={submit} noValidate>
        <Field
          id={id}
          label="Deliver again every message produced since"
          hint={`Within the last ${formatDuration(queue.rewindSeconds)}; consumers receive them again in production order.`}
          error={error ?? undefined}
        >
          {(control) => (
            <DateTimeInput
              {...control}
              placeholder={localInputOfIso(new Date().toISOString())}
              value={value}
              onChange={(e) => {
                setValue(e.target.value);
                setError(null);
                rewind.reset();
              }}
              data-testid="rewind-time"
            />
          )}
        </Field>
        <div className="form-actions form-actions-start">
          <Button type="submit" data-testid="rewind-queue">
            Rewind…
          </Button>
        </div>
        {rewind.data && (
          <p className="notice notice-success" role="status" data-testid="rewound">
            {formatNumber(rewind.data.rewound)} {rewind.data.rewound === 1 ? "message is" : "messages are"} back in the
            queue.
          </p>
        )}
      </form>
      <ConfirmDialog
        open={confirming !== null}
        title="Rewind the queue"
        description={
          <p>
            Every deleted message of “{queue.name}” produced since {confirming ? formatDateTime(confirming) : ""} will
            be delivered again, in production order.
          </p>
        }
        confirmLabel="Rewind"
        confirmVariant="primary"
        isPending={rewind.isPending}
        error={rewind.error ?? undefined}
        onConfirm={() => confirming && rewind.mutate(confirming, { onSuccess: () => setConfirming(null) })}
        onCancel={() => {
          rewind.reset();
          setConfirming(null);
        }}
        testId="rewind-dialog"
      />
    </section>
  );
}
