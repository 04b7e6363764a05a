// How the detail panel shows a body: as a JSON tree when the whole body is JSON, else as text.

export type ParsedBody = { isJson: true; value: unknown } | { isJson: false };

/** JSON objects and arrays only: a bare number or string reads better as text. */
export function parseJsonBody(body: string): ParsedBody {
  const trimmed = body.trim();
  if (!(trimmed.startsWith("{") || trimmed.startsWith("["))) return { isJson: false };
  try {
    return { isJson: true, value: JSON.parse(trimmed) };
  } catch {
    return { isJson: false };
  }
}

/** The body pretty-printed (two spaces) when it is JSON, else as it is. */
export function prettyBody(body: string): string {
  const parsed = parseJsonBody(body);
  return parsed.isJson ? JSON.stringify(parsed.value, null, 2) : body;
}

/** A JSON value's node for the tree: its kind, and its entries when it has any. */
export type JsonNode =
  | { kind: "object"; entries: [string, unknown][] }
  | { kind: "array"; entries: [string, unknown][] }
  | { kind: "string" | "number" | "boolean" | "null"; text: string };

export function jsonNodeOf(value: unknown): JsonNode {
  if (value === null) return { kind: "null", text: "null" };
  if (Array.isArray(value)) return { kind: "array", entries: value.map((v, i) => [String(i), v]) };
  if (typeof value === "object") return { kind: "object", entries: Object.entries(value) };
  if (typeof value === "string") return { kind: "string", text: JSON.stringify(value) };
  if (typeof value === "number") return { kind: "number", text: String(value) };
  return { kind: "boolean", text: String(value) };
}

/** "3 keys", "1 item": what a collapsed object or array holds. */
export function summarizeNode(node: JsonNode): string {
  if (node.kind === "object") return `${node.entries.length} ${node.entries.length === 1 ? "key" : "keys"}`;
  if (node.kind === "array") return `${node.entries.length} ${node.entries.length === 1 ? "item" : "items"}`;
  return node.text;
}
