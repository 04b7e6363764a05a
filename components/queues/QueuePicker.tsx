"use client";

import { useId } from "react";
import { useQueues } from "@/lib/client/queues";
import { useDebouncedValue } from "@/lib/client/use-debounced-value";

type QueuePickerProps = {
  id: string;
  value: string;
  onChange: (name: string) => void;
  /** A queue not to offer (the source itself). */
  exclude?: string;
  testId?: string;
  "aria-describedby"?: string;
};

/** A queue name, typed or picked from the account's queues matching what is typed. */
export function QueuePicker({ id, value, onChange, exclude, testId, ...rest }: QueuePickerProps) {
  const listId = useId();
  const search = useDebouncedValue(value.trim(), 250);
  const { data } = useQueues({ search, offset: 0, limit: 20 });
  const names = (data?.queues ?? []).map((q) => q.name).filter((n) => n.toLowerCase() !== exclude?.toLowerCase());
  return (
    <>
      <input
        id={id}
        className="input"
        list={listId}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        autoComplete="off"
        spellCheck={false}
        placeholder="Queue name"
        data-testid={testId}
        aria-describedby={rest["aria-describedby"]}
      />
      <datalist id={listId}>
        {names.map((name) => (
          <option key={name} value={name} />
        ))}
      </datalist>
    </>
  );
}
