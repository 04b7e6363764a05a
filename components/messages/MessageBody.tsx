"use client";

import { useState } from "react";
import { truncate } from "@/lib/client/format";

const previewLength = 120;

/**
 * A body shortened to one line's worth, expandable to the text the page holds. `isCut`: the server
 * sent only the body's beginning (the detail panel has all of it).
 */
export function MessageBody({ body, isCut = false }: { body: string; isCut?: boolean }) {
  const [isExpanded, setIsExpanded] = useState(false);
  const preview = truncate(body.replace(/\s+/g, " "), previewLength);
  if (!preview.isTruncated && !body.includes("\n")) {
    return (
      <span className="message-body" data-testid="message-body-text">
        {body}
        {isCut && "…"}
      </span>
    );
  }
  return (
    <div>
      {isExpanded ? (
        <pre className="message-body-full" data-testid="message-body-text">
          {body}
          {isCut && "…"}
        </pre>
      ) : (
        <span className="message-body" data-testid="message-body-text">
          {preview.text}
        </span>
      )}
      <button
        type="button"
        className="link-button"
        aria-expanded={isExpanded}
        onClick={() => setIsExpanded((v) => !v)}
        data-testid="toggle-body"
      >
        {isExpanded ? "Show less" : "Show all"}
      </button>
    </div>
  );
}
