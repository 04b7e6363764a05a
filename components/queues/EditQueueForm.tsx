"use client";

import { type FormEvent, useState } from "react";
import { Button } from "@/components/ui/Button";
import { isApiError } from "@/lib/client/api-client";
import {
  changedAttributes,
  formValuesFromQueue,
  type QueueFormErrors,
  type QueueFormValues,
  serverFieldErrors,
  validateQueueForm,
} from "@/lib/client/queue-form";
import { useUpdateQueue } from "@/lib/client/queues";
import type { Queue } from "@/lib/schemas/queue";
import { QueueAttributeFields } from "./QueueAttributeFields";

/** Edits the attributes; only changed ones are sent (PATCH). `onDone(true)` after a save. */
export function EditQueueForm({ queue, onDone }: { queue: Queue; onDone: (isSaved: boolean) => void }) {
  const updateQueue = useUpdateQueue(queue.name);
  // Starts from the attributes as they were when editing began; polling must not overwrite typing.
  const [values, setValues] = useState<QueueFormValues>(() => formValuesFromQueue(queue));
  const [errors, setErrors] = useState<QueueFormErrors>({});

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const result = validateQueueForm(values);
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    const changes = changedAttributes(queue, result.input);
    if (Object.keys(changes).length === 0) {
      onDone(false);
      return;
    }
    setErrors({});
    updateQueue.mutate(changes, {
      onSuccess: () => onDone(true),
      onError: (error) =>
        setErrors(isApiError(error) ? serverFieldErrors(error) : { form: "The attributes could not be saved." }),
    });
  };

  return (
    <form className="form" onSubmit={onSubmit} noValidate data-testid="edit-queue-form">
      <QueueAttributeFields
        idPrefix="edit"
        values={values}
        errors={errors}
        onChange={(key, value) => {
          setValues((v) => ({ ...v, [key]: value }));
          setErrors(({ [key]: _, ...rest }) => rest);
        }}
      />
      {(errors.form || errors.name) && (
        <p className="form-error" role="alert" data-testid="form-error">
          {errors.form ?? errors.name}
        </p>
      )}
      <div className="form-actions">
        <Button onClick={() => onDone(false)} disabled={updateQueue.isPending}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" isPending={updateQueue.isPending} data-testid="save-attributes">
          Save changes
        </Button>
      </div>
    </form>
  );
}
