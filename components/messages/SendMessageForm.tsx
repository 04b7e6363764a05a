"use client";

import { type FormEvent, useState } from "react";
import { Button } from "@/components/ui/Button";
import { Field } from "@/components/ui/Field";
import { TextField } from "@/components/ui/TextField";
import { isApiError } from "@/lib/client/api-client";
import { formatNumber } from "@/lib/client/format";
import { useSendMessages } from "@/lib/client/messages";
import {
  emptySendMessageForm,
  maxTagLength,
  maxTags,
  type SendMessageFormErrors,
  type SendMessageFormValues,
  validateSendMessageForm,
} from "@/lib/client/send-message-form";
import { maxDelaySeconds } from "@/lib/schemas/message";
import type { Queue } from "@/lib/schemas/queue";

export function SendMessageForm({ queue }: { queue: Queue }) {
  const sendMessages = useSendMessages(queue.name);
  const [values, setValues] = useState<SendMessageFormValues>(emptySendMessageForm);
  const [errors, setErrors] = useState<SendMessageFormErrors>({});
  const [sentId, setSentId] = useState<string | null>(null);

  const change = (key: keyof SendMessageFormValues, value: string) => {
    setValues((v) => ({ ...v, [key]: value }));
    setErrors(({ [key]: _, form: __, ...rest }) => rest);
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setSentId(null);
    const result = validateSendMessageForm(values, queue.maxMsgSize);
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors({});
    sendMessages.mutate([result.input], {
      onSuccess: ({ messages }) => {
        setSentId(messages[0]?.id ?? null);
        // Keep delay and tags: sending several similar messages is the usual next step.
        setValues((v) => ({ ...v, body: "" }));
      },
      onError: (error) => {
        if (!isApiError(error)) return setErrors({ form: "The message could not be sent." });
        const isAboutBody = ["MESSAGE_TOO_LARGE", "MESSAGE_BODY_EMPTY"].includes(error.code);
        setErrors(isAboutBody ? { body: error.message } : { form: error.message });
      },
    });
  };

  return (
    <section className="card card-padded">
      <div className="card-header">
        <h2 className="card-title">Send test message</h2>
      </div>
      <form className="form" onSubmit={onSubmit} noValidate data-testid="send-message-form">
        <Field
          id="message-body"
          label="Body"
          hint={`Up to ${formatNumber(queue.maxMsgSize)} bytes (this queue's max message size).`}
          error={errors.body}
        >
          {(control) => (
            <textarea
              {...control}
              className="input textarea"
              rows={5}
              spellCheck={false}
              value={values.body}
              onChange={(e) => change("body", e.target.value)}
              placeholder='{"orderId": 42}'
              data-testid="message-body"
            />
          )}
        </Field>
        <div className="field-row">
          <Field
            id="message-delay"
            label="Delay seconds"
            hint={`0–${formatNumber(maxDelaySeconds)}; hidden until then`}
            error={errors.delaySeconds}
          >
            {(control) => (
              <input
                {...control}
                className="input"
                type="number"
                inputMode="numeric"
                min={0}
                max={maxDelaySeconds}
                step={1}
                value={values.delaySeconds}
                onChange={(e) => change("delaySeconds", e.target.value)}
                data-testid="message-delay"
              />
            )}
          </Field>
          <TextField
            id="message-tags"
            label="Tags (optional)"
            hint={`Comma-separated; up to ${maxTags}, ${maxTagLength} characters each`}
            error={errors.tags}
            value={values.tags}
            onChange={(value) => change("tags", value)}
            placeholder="billing, eu"
            testId="message-tags"
          />
        </div>
        {errors.form && (
          <p className="form-error" role="alert" data-testid="send-error">
            {errors.form}
          </p>
        )}
        {sentId && (
          <p className="notice notice-success" role="status" data-testid="send-success">
            Sent message <code className="mono">{sentId}</code>
          </p>
        )}
        <div className="form-actions">
          <Button type="submit" variant="primary" isPending={sendMessages.isPending} data-testid="send-message">
            Send message
          </Button>
        </div>
      </form>
    </section>
  );
}
