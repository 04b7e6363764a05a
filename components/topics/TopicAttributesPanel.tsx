"use client";

import { type FormEvent, type ReactNode, useState } from "react";
import { Button } from "@/components/ui/Button";
import { DeniedNote } from "@/components/ui/DeniedNote";
import { Field } from "@/components/ui/Field";
import { isApiError } from "@/lib/client/api-client";
import { formatDateTime, formatDuration, formatNumber } from "@/lib/client/format";
import { useCan } from "@/lib/client/me";
import { useUpdateTopic } from "@/lib/client/topics";
import { describeMaxMsgSize, filterTypeInfo, maxMsgSizeHint, parseMaxMsgSize } from "@/lib/client/topics-form";
import type { Topic } from "@/lib/schemas/topic";

/** The attributes as a read-only list; the max message size (the only changeable one) edits in place. */
export function TopicAttributesPanel({ topic }: { topic: Topic }) {
  const [isEditing, setIsEditing] = useState(false);
  const [savedAt, setSavedAt] = useState<number | null>(null);
  const { can, reason, isLoading: isMeLoading } = useCan();
  const mayEdit = can("topic:SetTopicAttributes", topic.name);

  const rows: [string, ReactNode, string, string][] = [
    [
      "Topic id",
      <code key="id" className="mono">
        {topic.topicId}
      </code>,
      "topic-id",
      "CMQ's topicId",
    ],
    [
      "Filter type",
      `${filterTypeInfo[topic.filterType].label} (fixed)`,
      "filter-type",
      filterTypeInfo[topic.filterType].description,
    ],
    ["Max message size", describeMaxMsgSize(topic.maxMsgSize), "max-msg-size", "Largest message body accepted"],
    [
      "Messages kept",
      `${formatNumber(topic.msgRetentionSeconds)} s (${formatDuration(topic.msgRetentionSeconds)})`,
      "retention",
      "How long published messages and their delivery timelines are kept (CMQ: one day, not settable)",
    ],
    ["Created", formatDateTime(topic.createdAt), "created", "When the topic was created"],
    ["Last changed", formatDateTime(topic.updatedAt), "updated", "When an attribute last changed"],
  ];

  return (
    <section className="card card-padded topic-settings" data-testid="topic-attributes">
      <div className="card-header">
        <h2 className="card-title">Attributes</h2>
        {!isEditing &&
          (mayEdit ? (
            <Button size="sm" onClick={() => setIsEditing(true)} data-testid="edit-topic">
              Edit max size
            </Button>
          ) : (
            !isMeLoading && (
              <DeniedNote reason={reason("topic:SetTopicAttributes", topic.name)} testId="edit-topic-denied">
                Read-only
              </DeniedNote>
            )
          ))}
      </div>
      {isEditing && mayEdit ? (
        <EditMaxSizeForm
          topic={topic}
          onDone={(isSaved) => {
            setIsEditing(false);
            if (isSaved) setSavedAt(Date.now());
          }}
        />
      ) : (
        <>
          {savedAt && (
            <p className="notice notice-success" role="status" data-testid="topic-saved">
              Max message size saved.
            </p>
          )}
          <dl className="attribute-list">
            {rows.map(([label, value, key, help]) => (
              <div key={key} className="attribute-row">
                <dt title={help}>{label}</dt>
                <dd data-testid={`topic-attribute-${key}`}>{value}</dd>
              </div>
            ))}
          </dl>
        </>
      )}
    </section>
  );
}

function EditMaxSizeForm({ topic, onDone }: { topic: Topic; onDone: (isSaved: boolean) => void }) {
  const updateTopic = useUpdateTopic(topic.name);
  // Starts from the value when editing began; polling must not overwrite typing.
  const [value, setValue] = useState(String(topic.maxMsgSize));
  const [error, setError] = useState<string | undefined>();

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseMaxMsgSize(value);
    if (!parsed.ok) return setError(parsed.error);
    if (parsed.value === topic.maxMsgSize) return onDone(false);
    setError(undefined);
    updateTopic.mutate(
      { maxMsgSize: parsed.value },
      {
        onSuccess: () => onDone(true),
        onError: (e) => setError(isApiError(e) ? e.message : "The size could not be saved."),
      },
    );
  };

  return (
    <form className="form" onSubmit={onSubmit} noValidate data-testid="edit-topic-form">
      <Field id="edit-topic-max-size" label="Max message size (bytes)" hint={maxMsgSizeHint} error={error}>
        {(control) => (
          <input
            {...control}
            className="input"
            inputMode="numeric"
            autoComplete="off"
            value={value}
            onChange={(e) => {
              setValue(e.target.value);
              setError(undefined);
            }}
            data-testid="field-edit-topic-max-size"
          />
        )}
      </Field>
      <p className="field-hint">Messages already published keep their size; new publishes are checked against it.</p>
      <div className="form-actions">
        <Button onClick={() => onDone(false)} disabled={updateTopic.isPending}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" isPending={updateTopic.isPending} data-testid="save-topic">
          Save
        </Button>
      </div>
    </form>
  );
}
