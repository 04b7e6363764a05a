"use client";

import { type FormEvent, useState } from "react";
import { Button } from "@/components/ui/Button";
import { Dialog } from "@/components/ui/Dialog";
import { Field, type FieldControlProps } from "@/components/ui/Field";
import {
  type AlarmFormErrors,
  type AlarmFormValues,
  alarmFormFields,
  alarmFormFrom,
  changedAlarmRule,
  emptyAlarmForm,
  isWindowed,
  kindInfo,
  scopeInfo,
  scopeLabel,
  validateAlarmForm,
  withKind,
} from "@/lib/client/alarm-form";
import { useCreateAlarmRule, useUpdateAlarmRule } from "@/lib/client/alarms";
import { isApiError } from "@/lib/client/api-client";
import { useCan } from "@/lib/client/me";
import { serverFieldErrors } from "@/lib/client/topics-form";
import { type AlarmKind, type AlarmRule, alarmKinds, databaseAlarmKinds, scopesOfKind } from "@/lib/schemas/alarm";

export type AlarmDialogResult = { message: string; name: string; secret: string | null };

type Props = {
  /** Absent: a new rule. */
  rule?: AlarmRule;
  onClose: (result?: AlarmDialogResult) => void;
};

/** Create or edit an alarm rule. Kind and scope are fixed once it exists. */
export function AlarmRuleDialog({ rule, onClose }: Props) {
  const { can } = useCan();
  const create = useCreateAlarmRule();
  const update = useUpdateAlarmRule(rule?.id ?? "");
  const isPending = create.isPending || update.isPending;
  const [values, setValues] = useState<AlarmFormValues>(() => (rule ? alarmFormFrom(rule) : emptyAlarmForm()));
  const [errors, setErrors] = useState<AlarmFormErrors>({});
  const kinds = alarmKinds.filter((k) => !databaseAlarmKinds.includes(k) || can("monitor:database"));

  const change = (next: Partial<AlarmFormValues>) => {
    setValues((v) => ({ ...v, ...next }));
    setErrors({});
  };
  const onServerError = (error: unknown) =>
    setErrors(
      isApiError(error) ? serverFieldErrors(error, alarmFormFields, "name") : { form: "The rule could not be saved." },
    );

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const result = validateAlarmForm(values);
    if (!result.ok) return setErrors(result.errors);
    if (!rule) {
      create.mutate(result.input, {
        onSuccess: (created) =>
          onClose({ message: `Alarm rule ${created.name} created.`, name: created.name, secret: created.secret }),
        onError: onServerError,
      });
      return;
    }
    const changes = changedAlarmRule(rule, result.input);
    if (Object.keys(changes).length === 0) return onClose();
    update.mutate(changes, {
      onSuccess: (saved) =>
        onClose({ message: `Alarm rule ${saved.name} saved.`, name: saved.name, secret: saved.secret }),
      onError: onServerError,
    });
  };

  const { unit } = kindInfo[values.kind];
  /** The render function of a Field's text control (not a component: Field calls it). */
  const text =
    (key: keyof AlarmFormValues, extra: { mono?: boolean; placeholder?: string } = {}) =>
    (control: FieldControlProps) => (
      <input
        {...control}
        className={`input${extra.mono ? " mono" : ""}`}
        autoComplete="off"
        spellCheck={false}
        value={String(values[key])}
        placeholder={extra.placeholder}
        onChange={(e) => change({ [key]: e.target.value })}
        data-testid={`alarm-field-${key}`}
      />
    );

  return (
    <Dialog
      open
      onClose={() => {
        if (!isPending) onClose();
      }}
      title={rule ? `Edit alarm rule ${rule.name}` : "New alarm rule"}
      testId="alarm-dialog"
    >
      <form className="form" onSubmit={onSubmit} noValidate data-testid="alarm-form">
        <Field id="alarm-name" label="Name" hint="Unique in the account." error={errors.name}>
          {text("name")}
        </Field>
        {rule ? (
          <dl className="attribute-list">
            <div className="attribute-row">
              <dt>Watches</dt>
              <dd>
                {kindInfo[rule.kind].label} · <span className="mono">{scopeLabel(rule)}</span>
              </dd>
            </div>
          </dl>
        ) : (
          <>
            <Field id="alarm-kind" label="Metric" hint={kindInfo[values.kind].hint} error={errors.kind}>
              {(control) => (
                <select
                  {...control}
                  className="select"
                  value={values.kind}
                  onChange={(e) => change(withKind(values, e.target.value as AlarmKind))}
                  data-testid="alarm-field-kind"
                >
                  {kinds.map((k) => (
                    <option key={k} value={k}>
                      {kindInfo[k].label}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <fieldset className="scope-choice">
              <legend className="field-label">Scope</legend>
              {scopesOfKind[values.kind].map((scope) => (
                <label key={scope} className="radio-option" data-testid={`alarm-scope-${scope}`}>
                  <input
                    type="radio"
                    name="alarm-scope"
                    value={scope}
                    checked={values.scopeType === scope}
                    onChange={() => change({ scopeType: scope })}
                  />
                  {scopeInfo[scope]}
                </label>
              ))}
            </fieldset>
            {values.scopeType === "queue" && (
              <Field id="alarm-queue" label="Queue" error={errors.scope}>
                {text("queue", { mono: true })}
              </Field>
            )}
            {(values.scopeType === "topic" || values.scopeType === "subscription") && (
              <Field id="alarm-topic" label="Topic" error={errors.scope}>
                {text("topic", { mono: true })}
              </Field>
            )}
            {values.scopeType === "subscription" && (
              <Field id="alarm-subscription" label="Subscription">
                {text("subscription", { mono: true })}
              </Field>
            )}
            {values.scopeType === "pattern" && (
              <Field
                id="alarm-pattern"
                label="Queue name pattern"
                hint="'*' stands for any run of characters; the worst matching queue counts."
                error={errors.scope}
              >
                {text("pattern", { mono: true, placeholder: "orders-*" })}
              </Field>
            )}
          </>
        )}
        <Field
          id="alarm-threshold"
          label={`Fires above (${unit})`}
          hint="The rule fires while the value is greater than this."
          error={errors.threshold}
        >
          {text("threshold")}
        </Field>
        <Field
          id="alarm-for"
          label="For (seconds)"
          hint="How long the value must stay above before the rule fires; 0 fires at once."
          error={errors.forSeconds}
        >
          {text("forSeconds")}
        </Field>
        {isWindowed(values.kind) && (
          <Field
            id="alarm-window"
            label="Window (seconds)"
            hint="The rate is taken over this many seconds (whole minutes)."
            error={errors.windowSeconds}
          >
            {text("windowSeconds")}
          </Field>
        )}
        <Field
          id="alarm-webhook"
          label="Webhook URL (optional)"
          hint="Fire and resolve are POSTed here, signed. Empty: the console only."
          error={errors.webhookUrl}
        >
          {text("webhookUrl", { mono: true, placeholder: "https://example.com/alarms" })}
        </Field>
        <label className="radio-option">
          <input
            type="checkbox"
            checked={values.enabled}
            onChange={(e) => change({ enabled: e.target.checked })}
            data-testid="alarm-field-enabled"
          />
          Enabled
        </label>
        {errors.form && (
          <p className="field-error" role="alert" data-testid="alarm-form-error">
            {errors.form}
          </p>
        )}
        <div className="form-actions">
          <Button type="button" onClick={() => onClose()} disabled={isPending}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" isPending={isPending} data-testid="alarm-save">
            {rule ? "Save rule" : "Create rule"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
