"use client";

import Link from "next/link";
import { type FormEvent, useState } from "react";
import { Button } from "@/components/ui/Button";
import { Field } from "@/components/ui/Field";
import { TextField } from "@/components/ui/TextField";
import { isApiError } from "@/lib/client/api-client";
import { formatNumber } from "@/lib/client/format";
import { usePublish } from "@/lib/client/topics";
import {
  bodiesOf,
  emptyPublishForm,
  type PublishFormErrors,
  type PublishFormValues,
  type PublishMode,
  validatePublishForm,
} from "@/lib/client/topics-publish-form";
import { topicMessageHref } from "@/lib/client/topics-timeline";
import { type PublishResult, type Topic, topicLimits } from "@/lib/schemas/topic";

const modes: { value: PublishMode; label: string }[] = [
  { value: "one", label: "One message" },
  { value: "lines", label: `One per line (≤ ${topicLimits.batch})` },
];

/** Publish from the console; the answer says which subscriptions each message went to. */
export function PublishForm({ topic }: { topic: Topic }) {
  const publish = usePublish(topic.name);
  const [values, setValues] = useState<PublishFormValues>(emptyPublishForm);
  const [errors, setErrors] = useState<PublishFormErrors>({});
  const [result, setResult] = useState<PublishResult | null>(null);
  const count = bodiesOf(values).length;

  const change = (key: keyof PublishFormValues, value: string) => {
    setValues((v) => ({ ...v, [key]: value }));
    setErrors(({ [key]: _, form: __, ...rest }) => rest);
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setResult(null);
    const checked = validatePublishForm(values, topic);
    if (!checked.ok) return setErrors(checked.errors);
    setErrors({});
    publish.mutate(checked.input, {
      onSuccess: (published) => {
        setResult(published);
        // Keep tags / routing key: publishing several similar messages is the usual next step.
        setValues((v) => ({ ...v, body: "" }));
      },
      onError: (error) => {
        if (!isApiError(error)) return setErrors({ form: "The message could not be published." });
        const isAboutBody = error.code.startsWith("MESSAGE_");
        setErrors(isAboutBody ? { body: error.message } : { form: error.message });
      },
    });
  };

  return (
    <section className="card card-padded" data-testid="publish">
      <div className="card-header">
        <h2 className="card-title">Publish</h2>
      </div>
      <form className="form" onSubmit={onSubmit} noValidate data-testid="publish-form">
        <fieldset className="segmented publish-mode" data-testid="publish-mode">
          <legend className="visually-hidden">How many messages</legend>
          {modes.map((mode) => (
            <label key={mode.value} className="segmented-option" data-testid={`publish-mode-${mode.value}`}>
              <input
                type="radio"
                name="publish-mode"
                className="visually-hidden"
                value={mode.value}
                checked={values.mode === mode.value}
                onChange={() => change("mode", mode.value)}
              />
              {mode.label}
            </label>
          ))}
        </fieldset>
        <Field
          id="publish-body"
          label={values.mode === "one" ? "Body" : "Bodies, one per line"}
          hint={`Up to ${formatNumber(topic.maxMsgSize)} bytes per message (this topic's max message size).`}
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
              placeholder={values.mode === "one" ? '{"orderId": 42}' : '{"orderId": 42}\n{"orderId": 43}'}
              data-testid="publish-body"
            />
          )}
        </Field>
        {topic.filterType === "tag" ? (
          <TextField
            id="publish-tags"
            label="Tags (optional)"
            hint={`Comma-separated; up to ${topicLimits.tagsPerItem}, ${topicLimits.tagLength} characters each. Subscriptions without filter tags receive every message.`}
            error={errors.tags}
            value={values.tags}
            onChange={(value) => change("tags", value)}
            placeholder="billing, eu"
            testId="publish-tags"
          />
        ) : (
          <TextField
            id="publish-routing-key"
            label="Routing key"
            hint={`Words separated by dots, at most ${topicLimits.routingKeyBytes} bytes (order.eu.paid); matched against each subscription's binding keys.`}
            error={errors.routingKey}
            value={values.routingKey}
            onChange={(value) => change("routingKey", value)}
            placeholder="order.eu.paid"
            testId="publish-routing-key"
            isCode
          />
        )}
        {errors.form && (
          <p className="form-error" role="alert" data-testid="publish-error">
            {errors.form}
          </p>
        )}
        {result && <PublishOutcome topicName={topic.name} result={result} />}
        <div className="form-actions">
          <Button type="submit" variant="primary" isPending={publish.isPending} data-testid="publish-submit">
            {count > 1 ? `Publish ${count} messages` : "Publish"}
          </Button>
        </div>
      </form>
    </section>
  );
}

function PublishOutcome({ topicName, result }: { topicName: string; result: PublishResult }) {
  const n = result.messages.length;
  return (
    <div className="notice notice-success publish-outcome" role="status" data-testid="publish-success">
      <p>
        Published {n === 1 ? "message" : `${formatNumber(n)} messages`}{" "}
        {result.messages.map((m, i) => (
          <span key={m.id}>
            {i > 0 && ", "}
            <Link href={topicMessageHref(topicName, m.id)} className="mono" data-testid="published-id">
              {m.id}
            </Link>
          </span>
        ))}
        .
      </p>
      <p data-testid="published-to">
        {result.subscriptions.length === 0
          ? "No subscription received it."
          : `Delivered or queued for push to: ${result.subscriptions.join(", ")}.`}
      </p>
    </div>
  );
}
