import pino from "pino";

// One structured logger. Secrets never reach it: redact the fields that could carry them.
export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "warn" : "info"),
  redact: {
    paths: ["secretKey", "*.secretKey", "password", "*.password", "authorization", "*.authorization"],
    censor: "[redacted]",
  },
});
