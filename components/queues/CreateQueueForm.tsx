"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { Button } from "@/components/ui/Button";
import { ButtonLink } from "@/components/ui/ButtonLink";
import { PageHeader } from "@/components/ui/PageHeader";
import { PermissionGate } from "@/components/ui/PermissionGate";
import { resourceNameHint, TextField } from "@/components/ui/TextField";
import { isApiError } from "@/lib/client/api-client";
import {
  type DeadLetterFormErrors,
  type DeadLetterFormValues,
  emptyDeadLetterForm,
  validateDeadLetterForm,
} from "@/lib/client/dead-letter-form";
import {
  type AttributeKey,
  defaultFormValues,
  type QueueFormErrors,
  type QueueFormValues,
  serverFieldErrors,
  validateQueueForm,
} from "@/lib/client/queue-form";
import { useCreateQueue } from "@/lib/client/queues";
import type { CreateQueueInput } from "@/lib/schemas/queue";
import { DeadLetterFields } from "./DeadLetterFields";
import { QueueAttributeFields } from "./QueueAttributeFields";

/** The create page: the form, or why the caller may not create queues. */
export function CreateQueuePage() {
  return (
    <PermissionGate
      permission="queue:CreateQueue"
      header={<PageHeader breadcrumb={<Link href="/queues">Queues</Link>} title="Create queue" />}
      deniedTitle="You cannot create queues"
    >
      <CreateQueueForm />
    </PermissionGate>
  );
}

export function CreateQueueForm() {
  const router = useRouter();
  const createQueue = useCreateQueue();
  const [values, setValues] = useState<QueueFormValues>(defaultFormValues);
  const [errors, setErrors] = useState<QueueFormErrors>({});
  const [deadLetter, setDeadLetter] = useState<DeadLetterFormValues>(emptyDeadLetterForm);
  const [deadLetterErrors, setDeadLetterErrors] = useState<DeadLetterFormErrors>({});

  const change = (key: keyof QueueFormValues, value: string) => {
    setValues((v) => ({ ...v, [key]: value }));
    // An edited field's old complaint no longer applies; the form-level one may.
    setErrors(({ [key]: _, ...rest }) => rest);
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const result = validateQueueForm(values);
    const binding = validateDeadLetterForm(deadLetter, values.name);
    setDeadLetterErrors(binding.ok ? {} : binding.errors);
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    if (!binding.ok) return;
    setErrors({});
    // The contract's deadLetter object (issue 10); the cast is for the schema before dead letters.
    const input = (
      binding.deadLetter ? { ...result.input, deadLetter: binding.deadLetter } : result.input
    ) as CreateQueueInput;
    createQueue.mutate(input, {
      onSuccess: (queue) => router.push(`/queues/${encodeURIComponent(queue.name)}`),
      onError: (error) =>
        setErrors(isApiError(error) ? serverFieldErrors(error) : { form: "The queue could not be created." }),
    });
  };

  return (
    <>
      <PageHeader
        breadcrumb={<Link href="/queues">Queues</Link>}
        title="Create queue"
        description="Attributes can be changed later, except the name."
      />
      <form className="card card-padded form" onSubmit={onSubmit} noValidate data-testid="create-queue-form">
        <TextField
          id="queue-name"
          label="Name"
          hint={resourceNameHint}
          error={errors.name}
          className="input input-name"
          maxLength={64}
          value={values.name}
          onChange={(value) => change("name", value)}
          testId="field-name"
        />
        <h2 className="form-section-title">Attributes</h2>
        <QueueAttributeFields
          idPrefix="create"
          values={values}
          errors={errors}
          onChange={(key: AttributeKey, value) => change(key, value)}
        />
        <h2 className="form-section-title">Dead letters</h2>
        <DeadLetterFields
          idPrefix="create-dlq"
          sourceName={values.name}
          values={deadLetter}
          errors={deadLetterErrors}
          onChange={(key, value) => {
            setDeadLetter((v) => ({ ...v, [key]: value }));
            setDeadLetterErrors(({ [key]: _, ...rest }) => rest);
          }}
        />
        {errors.form && (
          <p className="form-error" role="alert" data-testid="form-error">
            {errors.form}
          </p>
        )}
        <div className="form-actions">
          <ButtonLink href="/queues">Cancel</ButtonLink>
          <Button type="submit" variant="primary" isPending={createQueue.isPending} data-testid="submit-create-queue">
            Create queue
          </Button>
        </div>
      </form>
    </>
  );
}
