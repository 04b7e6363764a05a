"use client";

import { useState } from "react";
import { CopyButton } from "@/components/ui/CopyButton";
import { parseJsonBody } from "@/lib/client/message-body";
import { JsonTree } from "./JsonTree";

/**
 * A message body in full: a JSON body as a tree (or raw, on request), any other as text, with a copy
 * button. Used by a queue message's detail and a topic message's delivery timeline.
 */
export function BodyViewer({ id, body }: { id: string; body: string }) {
  const parsed = parseJsonBody(body);
  const [view, setView] = useState<"formatted" | "raw">(parsed.isJson ? "formatted" : "raw");
  return (
    <section className="message-body-viewer" aria-label="Body">
      <div className="message-body-toolbar">
        <fieldset className="segmented">
          <legend className="visually-hidden">Body view</legend>
          {(["formatted", "raw"] as const).map((v) => (
            <label key={v} className="segmented-option" data-testid={`body-view-${v}`}>
              <input
                type="radio"
                className="visually-hidden"
                name={`body-view-${id}`}
                checked={view === v}
                disabled={v === "formatted" && !parsed.isJson}
                onChange={() => setView(v)}
              />
              {v === "formatted" ? (parsed.isJson ? "JSON" : "JSON (not JSON)") : "Raw"}
            </label>
          ))}
        </fieldset>
        <CopyButton value={body} label="Copy body" testId="copy-body" />
      </div>
      {view === "formatted" && parsed.isJson ? (
        <JsonTree value={parsed.value} />
      ) : (
        <pre className="message-body-full message-body-raw" data-testid="message-body-raw">
          {body}
        </pre>
      )}
    </section>
  );
}
