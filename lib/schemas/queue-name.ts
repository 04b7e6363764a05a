import { z } from "zod";

// A queue's (and topic's) name, on its own so schemas that queue.ts itself imports (metrics.ts) can
// use it without an import cycle.
export const queueNamePattern = /^[a-zA-Z][a-zA-Z0-9_-]{0,63}$/;

export const queueNameSchema = z
  .string()
  .regex(queueNamePattern, "must start with a letter and contain only letters, digits, '-' and '_' (1–64 characters)");
