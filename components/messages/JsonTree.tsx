import { jsonNodeOf, summarizeNode } from "@/lib/client/message-body";

/** Levels open at first; deeper objects and arrays start collapsed. */
const openDepth = 2;

/** A JSON value as a tree of native <details>: collapsible with mouse and keyboard alike. */
export function JsonTree({ value }: { value: unknown }) {
  return (
    <div className="json-tree mono" data-testid="json-tree">
      <JsonValue value={value} depth={0} />
    </div>
  );
}

function JsonValue({ value, depth, label }: { value: unknown; depth: number; label?: string }) {
  const node = jsonNodeOf(value);
  const key = label !== undefined && <span className="json-key">{label}: </span>;
  if (node.kind !== "object" && node.kind !== "array") {
    return (
      <div className="json-leaf">
        {key}
        <span className={`json-${node.kind}`}>{node.text}</span>
      </div>
    );
  }
  const [open, close] = node.kind === "object" ? ["{", "}"] : ["[", "]"];
  if (node.entries.length === 0) {
    return (
      <div className="json-leaf">
        {key}
        {open}
        {close}
      </div>
    );
  }
  return (
    <details className="json-node" open={depth < openDepth}>
      <summary>
        {key}
        {open}
        <span className="json-summary">
          <span className="muted small"> {summarizeNode(node)} </span>
          {close}
        </span>
      </summary>
      <div className="json-children">
        {node.entries.map(([k, v]) => (
          <JsonValue key={k} value={v} depth={depth + 1} label={node.kind === "object" ? JSON.stringify(k) : k} />
        ))}
      </div>
      <div>{close}</div>
    </details>
  );
}
