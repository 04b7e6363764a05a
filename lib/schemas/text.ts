import { z } from "zod";

// What a text field may hold, on both APIs: any Unicode text except NUL (U+0000), which PostgreSQL
// cannot store in `text`, and lone surrogates (U+D800–U+DFFF unpaired), which are not Unicode text
// and would be stored as U+FFFD — silently changing what the client sent. Binary data must be
// encoded by the client (e.g. base64); see README "What a message body may contain".

type WellFormed = { isWellFormed(): boolean }; // ES2024; Node ≥ 20 has it, TypeScript's ES2023 lib does not

/** Why `value` is not acceptable text, or undefined when it is. */
export function textProblem(value: string): string | undefined {
  if (value.includes("\u0000")) return "must not contain NUL (U+0000)";
  if (!(value as unknown as WellFormed).isWellFormed()) {
    return "must be valid Unicode text: it contains a lone surrogate (U+D800–U+DFFF)";
  }
  return undefined;
}

export const isText = (value: string) => textProblem(value) === undefined;

/** A string that is Unicode text without NUL; chain .min()/.max()/.regex() as on z.string(). */
export const text = () =>
  z.string().superRefine((value, ctx) => {
    const problem = textProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
