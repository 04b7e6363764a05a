"use client";

import { type FormEvent, useState } from "react";
import { QueuePicker } from "@/components/queues/QueuePicker";
import { Button } from "@/components/ui/Button";
import { Dialog } from "@/components/ui/Dialog";
import { Field } from "@/components/ui/Field";
import { TextField } from "@/components/ui/TextField";
import { isApiError } from "@/lib/client/api-client";
import { useCreateSubscription, useUpdateSubscription } from "@/lib/client/topics";
import { serverFieldErrors } from "@/lib/client/topics-form";
import {
  changedSubscription,
  emptySubscriptionForm,
  formatInfo,
  type NotifyContentFormat,
  type NotifyStrategy,
  protocolInfo,
  type SubscriptionFormErrors,
  type SubscriptionFormValues,
  strategyInfo,
  subscriptionFormFields,
  subscriptionFormFrom,
  validateSubscriptionForm,
  withProtocol,
} from "@/lib/client/topics-subscription-form";
import {
  notifyContentFormats,
  notifyStrategies,
  type Subscription,
  subscriptionProtocols,
  type Topic,
  topicLimits,
} from "@/lib/schemas/topic";

type Props = {
  topic: Topic;
  /** Absent: a new subscription. */
  subscription?: Subscription;
  /** `message` after a save, for the panel's notice. */
  onClose: (message?: string) => void;
};

/** Create or edit a subscription. Name, protocol and endpoint are fixed once it exists (as in CMQ). */
export function SubscriptionDialog({ topic, subscription, onClose }: Props) {
  const create = useCreateSubscription(topic.name);
  const update = useUpdateSubscription(topic.name, subscription?.name ?? "");
  const isPending = create.isPending || update.isPending;
  const [values, setValues] = useState<SubscriptionFormValues>(() =>
    subscription ? subscriptionFormFrom(subscription) : emptySubscriptionForm(),
  );
  const [errors, setErrors] = useState<SubscriptionFormErrors>({});

  const change = (next: Partial<SubscriptionFormValues>) => {
    setValues((v) => ({ ...v, ...next }));
    setErrors((e) => {
      const rest = { ...e };
      delete rest.form;
      for (const key of Object.keys(next)) delete rest[key as keyof SubscriptionFormValues];
      return rest;
    });
  };
  const onServerError = (error: unknown) =>
    setErrors(
      isApiError(error)
        ? serverFieldErrors(error, subscriptionFormFields, "name")
        : { form: "The subscription could not be saved." },
    );

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const result = validateSubscriptionForm(values, topic.filterType);
    if (!result.ok) return setErrors(result.errors);
    setErrors({});
    if (!subscription) {
      create.mutate(result.input, {
        onSuccess: (created) => onClose(`Subscription ${created.name} created.`),
        onError: onServerError,
      });
      return;
    }
    const changes = changedSubscription(subscription, result.input);
    if (Object.keys(changes).length === 0) return onClose();
    update.mutate(changes, {
      onSuccess: (saved) => onClose(`Subscription ${saved.name} saved.`),
      onError: onServerError,
    });
  };

  const filterField =
    topic.filterType === "tag" ? (
      <TextField
        id="subscription-filter-tags"
        label="Filter tags (optional)"
        hint={`Comma-separated, up to ${topicLimits.tagsPerItem} of ${topicLimits.tagLength} characters. It receives the messages carrying at least one of them; with none it receives every message.`}
        error={errors.filterTags}
        value={values.filterTags}
        onChange={(value) => change({ filterTags: value })}
        placeholder="billing, eu"
        testId="field-filter-tags"
      />
    ) : (
      <TextField
        id="subscription-binding-keys"
        label="Binding keys"
        hint={`Comma-separated, 1–${topicLimits.tagsPerItem}. It receives a message when one matches its routing key: words separated by dots, '*' for exactly one word, '#' for any number of words (order.*.paid, order.#).`}
        error={errors.bindingKeys}
        value={values.bindingKeys}
        onChange={(value) => change({ bindingKeys: value })}
        placeholder="order.*.paid, order.eu.#"
        testId="field-binding-keys"
        isCode
      />
    );

  return (
    <Dialog
      open
      onClose={() => {
        if (!isPending) onClose();
      }}
      title={subscription ? `Edit subscription ${subscription.name}` : "Add subscription"}
      testId="subscription-dialog"
    >
      <form className="form" onSubmit={onSubmit} noValidate data-testid="subscription-form">
        {subscription ? (
          <dl className="attribute-list">
            <div className="attribute-row">
              <dt>Protocol</dt>
              <dd>{protocolInfo[subscription.protocol].label}</dd>
            </div>
            <div className="attribute-row">
              <dt>{protocolInfo[subscription.protocol].endpointLabel}</dt>
              <dd className="mono subscription-endpoint">{subscription.endpoint}</dd>
            </div>
            <div className="attribute-row">
              <dt>Fixed</dt>
              <dd className="muted small">
                Name, protocol and endpoint cannot change; subscribe again to change them.
              </dd>
            </div>
          </dl>
        ) : (
          <>
            <TextField
              id="subscription-name"
              label="Name"
              hint="Letters, digits, '-' and '_', starting with a letter; unique in this topic."
              error={errors.name}
              value={values.name}
              onChange={(value) => change({ name: value })}
              testId="field-subscription-name"
              className="input input-name"
              maxLength={64}
            />
            <fieldset className="scope-choice">
              <legend className="field-label">Deliver to</legend>
              {subscriptionProtocols.map((protocol) => (
                <label key={protocol} className="radio-option" data-testid={`protocol-${protocol}`}>
                  <input
                    type="radio"
                    name="protocol"
                    value={protocol}
                    checked={values.protocol === protocol}
                    onChange={() => {
                      setValues((v) => ({ ...withProtocol(v, protocol), endpoint: "" }));
                      setErrors({});
                    }}
                  />
                  {protocolInfo[protocol].label}
                </label>
              ))}
            </fieldset>
            <Field
              id="subscription-endpoint"
              label={protocolInfo[values.protocol].endpointLabel}
              hint={`${protocolInfo[values.protocol].endpointHint} Fixed after creation.`}
              error={errors.endpoint}
            >
              {(control) =>
                values.protocol === "queue" ? (
                  <QueuePicker
                    id={control.id}
                    aria-describedby={control["aria-describedby"]}
                    value={values.endpoint}
                    onChange={(endpoint) => change({ endpoint })}
                    testId="field-endpoint"
                  />
                ) : (
                  <input
                    {...control}
                    className="input mono"
                    type="url"
                    autoComplete="off"
                    spellCheck={false}
                    maxLength={topicLimits.httpEndpointLength}
                    value={values.endpoint}
                    onChange={(e) => change({ endpoint: e.target.value })}
                    placeholder="https://example.com/cmq-hook"
                    data-testid="field-endpoint"
                  />
                )
              }
            </Field>
          </>
        )}
        {filterField}
        {values.protocol === "http" ? (
          <div className="field-row">
            <Field id="subscription-strategy" label="Retry strategy" hint={strategyInfo[values.notifyStrategy]}>
              {(control) => (
                <select
                  {...control}
                  className="select"
                  value={values.notifyStrategy}
                  onChange={(e) => change({ notifyStrategy: e.target.value as NotifyStrategy })}
                  data-testid="field-strategy"
                >
                  {notifyStrategies.map((s) => (
                    <option key={s} value={s}>
                      {s === "BACKOFF_RETRY" ? "Backoff retry" : "Exponential decay retry"}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field id="subscription-format" label="Body format" hint={formatInfo[values.notifyContentFormat]}>
              {(control) => (
                <select
                  {...control}
                  className="select"
                  value={values.notifyContentFormat}
                  onChange={(e) => change({ notifyContentFormat: e.target.value as NotifyContentFormat })}
                  data-testid="field-format"
                >
                  {notifyContentFormats.map((f) => (
                    <option key={f} value={f}>
                      {f === "JSON" ? "JSON" : "Simplified"}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>
        ) : (
          <p className="field-hint" data-testid="queue-format-note">
            A queue receives each message's body as it was published (the simplified format), in the publish's own
            transaction: there is nothing to retry.
          </p>
        )}
        {errors.form && (
          <p className="form-error" role="alert" data-testid="subscription-form-error">
            {errors.form}
          </p>
        )}
        <div className="dialog-footer">
          <Button onClick={() => onClose()} disabled={isPending}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" isPending={isPending} data-testid="save-subscription">
            {subscription ? "Save changes" : "Add subscription"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
