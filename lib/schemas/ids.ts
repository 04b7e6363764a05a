import { z } from "zod";

// Ids and cursors are checked against the range of the column they are compared with before any
// SQL runs: PostgreSQL refuses an out-of-range bigint, uuid or timestamp with an error, not a miss.

const maxBigint = 9_223_372_036_854_775_807n;
/** 9999-12-31T23:59:59.999999Z in microseconds since the epoch: the last instant an ISO date can name. */
const maxMicros = 253_402_300_799_999_999n;

/** A decimal string within PostgreSQL's bigint (ids issued by this server are positive). */
export const isBigintId = (value: string) => /^\d{1,19}$/.test(value) && BigInt(value) <= maxBigint;

/** The peek cursor "<visible_at in µs since the epoch>-<message id>", as peekMessages issues it. */
export function isPeekCursor(value: string): boolean {
  const match = /^(\d{1,18})-(\d{1,19})$/.exec(value);
  return !!match && BigInt(match[1] ?? "") <= maxMicros && isBigintId(match[2] ?? "");
}

/** A user or API key id: a UUID (any version, as PostgreSQL's uuid type accepts). */
export const uuidSchema = z.guid("must be an id as returned by the API (a UUID)");

/** An instant that PostgreSQL and JavaScript both represent: years 0001–9999 in UTC. */
export const isStorableInstant = (iso: string) => {
  const ms = Date.parse(iso);
  return ms >= firstInstant && ms <= lastInstant;
};
const firstInstant = Date.parse("0001-01-01T00:00:00Z");
const lastInstant = Date.parse("9999-12-31T23:59:59.999Z");

/** Path parameters of /users/{id} and /keys/{id}. */
export const idParamsSchema = z.object({ id: uuidSchema });
