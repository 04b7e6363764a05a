import pino from "pino";
import { settings } from "@/lib/config";

// One structured logger. Secrets never reach it: redact the fields that could carry them.
export const logger = pino({
  level: settings().logLevel,
  redact: {
    paths: ["secretKey", "*.secretKey", "password", "*.password", "authorization", "*.authorization"],
    censor: "[redacted]",
  },
});
