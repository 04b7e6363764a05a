import type { z } from "zod";
import { AppError, type ErrorCode } from "@/lib/errors";

// Array fields whose size limits are batch limits: out of range they answer BATCH_SIZE_INVALID.
const batchFields = new Set(["messages", "receiptHandles"]);

export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.join("."),
    message: issue.message,
  }));
  const isBatchSize = result.error.issues.every(
    (i) =>
      (i.code === "too_big" || i.code === "too_small") && i.path.length === 1 && batchFields.has(String(i.path[0])),
  );
  const code: ErrorCode = isBatchSize ? "BATCH_SIZE_INVALID" : "INVALID_INPUT";
  const summary = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ");
  throw new AppError(code, `Invalid ${what}: ${summary}`, { issues });
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** Bytes as UTF-8 text, or undefined when they are not valid UTF-8 (never replaced by U+FFFD). */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * One application/x-www-form-urlencoded name or value ("+" is a space), or undefined when its
 * percent-encoding is malformed ("%zz", a lone "%") or decodes to invalid UTF-8 (URLSearchParams
 * would keep the former literally and turn the latter into U+FFFD).
 */
export function decodeFormComponent(raw: string): string | undefined {
  const spaced = raw.includes("+") ? raw.replaceAll("+", " ") : raw;
  if (!spaced.includes("%")) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return undefined;
  }
}
