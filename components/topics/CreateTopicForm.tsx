"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { Button } from "@/components/ui/Button";
import { ButtonLink } from "@/components/ui/ButtonLink";
import { Field } from "@/components/ui/Field";
import { PageHeader } from "@/components/ui/PageHeader";
import { PermissionGate } from "@/components/ui/PermissionGate";
import { resourceNameHint, TextField } from "@/components/ui/TextField";
import { isApiError } from "@/lib/client/api-client";
import { useCreateTopic } from "@/lib/client/topics";
import {
  defaultTopicForm,
  filterTypeInfo,
  maxMsgSizeHint,
  serverFieldErrors,
  type TopicFormErrors,
  type TopicFormValues,
  validateTopicForm,
} from "@/lib/client/topics-form";
import { topicFilterTypes } from "@/lib/schemas/topic";
import { topicHref } from "./TopicTable";

const fields = ["name", "filterType", "maxMsgSize"] as const;

/** The create page: the form, or why the caller may not create topics. */
export function CreateTopicPage() {
  return (
    <PermissionGate
      permission="topic:CreateTopic"
      header={<PageHeader breadcrumb={<Link href="/topics">Topics</Link>} title="Create topic" />}
      deniedTitle="You cannot create topics"
    >
      <CreateTopicForm />
    </PermissionGate>
  );
}

export function CreateTopicForm() {
  const router = useRouter();
  const createTopic = useCreateTopic();
  const [values, setValues] = useState<TopicFormValues>(defaultTopicForm);
  const [errors, setErrors] = useState<TopicFormErrors>({});

  const change = (next: Partial<TopicFormValues>) => {
    setValues((v) => ({ ...v, ...next }));
    // An edited field's old complaint no longer applies, nor does the form's.
    setErrors((e) => {
      const rest = { ...e };
      delete rest.form;
      for (const key of Object.keys(next)) delete rest[key as keyof TopicFormValues];
      return rest;
    });
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const result = validateTopicForm(values);
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors({});
    createTopic.mutate(result.input, {
      onSuccess: (topic) => router.push(topicHref(topic.name)),
      onError: (error) =>
        setErrors(
          isApiError(error) ? serverFieldErrors(error, fields, "name") : { form: "The topic could not be created." },
        ),
    });
  };

  return (
    <>
      <PageHeader
        breadcrumb={<Link href="/topics">Topics</Link>}
        title="Create topic"
        description="The name and the filter type are fixed once the topic exists; the max message size can be changed later."
      />
      <form className="card card-padded form topic-form" onSubmit={onSubmit} noValidate data-testid="create-topic-form">
        <TextField
          id="topic-name"
          label="Name"
          hint={resourceNameHint}
          error={errors.name}
          className="input input-name"
          maxLength={64}
          value={values.name}
          onChange={(value) => change({ name: value })}
          testId="field-topic-name"
        />
        <fieldset className="scope-choice" aria-describedby="topic-filter-type-hint">
          <legend className="field-label">Filter type</legend>
          {topicFilterTypes.map((type) => (
            <label key={type} className="radio-option" data-testid={`filter-type-${type}`}>
              <input
                type="radio"
                name="filterType"
                value={type}
                checked={values.filterType === type}
                onChange={() => change({ filterType: type })}
              />
              <span className="radio-option-text">
                <strong>{filterTypeInfo[type].label}</strong>
                <span className="field-hint">{filterTypeInfo[type].description}</span>
              </span>
            </label>
          ))}
          <p className="field-hint" id="topic-filter-type-hint">
            Fixed after creation: to change it, create another topic.
          </p>
          {errors.filterType && <p className="field-error">{errors.filterType}</p>}
        </fieldset>
        <Field id="topic-max-size" label="Max message size (bytes)" hint={maxMsgSizeHint} error={errors.maxMsgSize}>
          {(control) => (
            <input
              {...control}
              className="input"
              inputMode="numeric"
              autoComplete="off"
              value={values.maxMsgSize}
              onChange={(e) => change({ maxMsgSize: e.target.value })}
              data-testid="field-topic-max-size"
            />
          )}
        </Field>
        {errors.form && (
          <p className="form-error" role="alert" data-testid="form-error">
            {errors.form}
          </p>
        )}
        <div className="form-actions">
          <ButtonLink href="/topics">Cancel</ButtonLink>
          <Button type="submit" variant="primary" isPending={createTopic.isPending} data-testid="submit-create-topic">
            Create topic
          </Button>
        </div>
      </form>
    </>
  );
}
