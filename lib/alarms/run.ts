import type pg from "pg";
import { logger } from "@/lib/logger";
import { databaseAlarmKinds, queueAlarmKinds } from "@/lib/schemas/alarm";
import {
  applyTransition,
  type DatabaseReadings,
  type Reading,
  type RuleRow,
  readApiErrorRate,
  readDatabaseSignals,
  readPushFailureRate,
  readQueueValue,
  readSingleQueueValues,
  recordReadings,
  selectEnabledRules,
} from "@/lib/store/alarms";
import { describeTransition, isBreached, isNotified, nextState } from "./evaluate";

type Queryable = Pick<pg.PoolClient, "query">;

// One evaluation pass over every enabled rule (the alarms worker's tick, lib/workers/alarms.ts):
// read each rule's value, decide its next state (lib/alarms/evaluate.ts), and write transitions one
// statement each (lib/store/alarms.ts applyTransition: compare-and-set + event, so a transition is
// recorded once even if two processes evaluated at once). Readings that move nothing are written
// together in one statement. Each statement is its own short transaction. Rules on one queue, the
// most numerous, are read together: one statement per kind (readSingleQueueValues); patterns, the
// account and the rate kinds one statement each; the database's signals once.

export type EvaluationResult = { evaluated: number; transitions: Array<{ ruleId: string; from: string; to: string }> };

/** `accountIds`: only these accounts' rules (tests share a database with other work). */
export async function evaluateAlarmRules(db: Queryable, accountIds?: readonly string[]): Promise<EvaluationResult> {
  const { rules, now } = await selectEnabledRules(db, accountIds);
  const singleQueue = await readSingleQueueRules(db, rules);
  let database: DatabaseReadings | undefined;
  const readings: Array<{ ruleId: string; value: number | null; subject: string | null }> = [];
  const transitions: EvaluationResult["transitions"] = [];
  for (const rule of rules) {
    let reading: Reading;
    try {
      if (databaseAlarmKinds.includes(rule.kind)) {
        database ??= await readDatabaseSignals(db);
        reading = database[rule.kind as keyof DatabaseReadings];
      } else reading = singleQueue.get(rule.id) ?? (await readRule(db, rule));
    } catch (error) {
      // One rule's failed reading leaves it where it is; the others are still evaluated.
      logger.warn({ err: error, rule: rule.id }, "alarm rule could not be read; skipped this time");
      continue;
    }
    const to = nextState(
      { state: rule.state, stateSince: rule.state_since, forSeconds: rule.for_seconds },
      isBreached(reading.value, rule.threshold),
      now,
    );
    if (to === null) {
      readings.push({ ruleId: rule.id, ...reading });
      continue;
    }
    const eventId = await applyTransition(db, {
      ruleId: rule.id,
      from: rule.state,
      since: rule.state_since,
      to,
      value: reading.value,
      subject: reading.subject,
      message: describeTransition(
        { kind: rule.kind, threshold: rule.threshold, forSeconds: rule.for_seconds },
        rule.state,
        to,
        reading.value,
        reading.subject,
      ),
      notify: isNotified(rule.state, to),
    });
    if (eventId !== null) transitions.push({ ruleId: rule.id, from: rule.state, to });
  }
  await recordReadings(db, readings);
  return { evaluated: rules.length, transitions };
}

/**
 * The readings of the rules on one queue, one statement per kind. If a statement fails, its rules
 * are read one by one in the pass (so one bad rule still leaves the others evaluated).
 */
async function readSingleQueueRules(db: Queryable, rules: readonly RuleRow[]): Promise<Map<string, Reading>> {
  const readings = new Map<string, Reading>();
  for (const kind of queueAlarmKinds) {
    const ofKind = rules.filter((rule) => rule.kind === kind && rule.scope_type === "queue");
    try {
      for (const [id, reading] of await readSingleQueueValues(db, kind, ofKind)) readings.set(id, reading);
    } catch (error) {
      logger.warn({ err: error, kind }, "alarm rules on one queue could not be read together; reading them one by one");
    }
  }
  return readings;
}

function readRule(db: Queryable, rule: RuleRow): Promise<Reading> {
  if (queueAlarmKinds.includes(rule.kind)) return readQueueValue(db, rule);
  if (rule.kind === "pushFailureRate") return readPushFailureRate(db, rule);
  if (rule.kind === "apiErrorRate") return readApiErrorRate(db, rule);
  throw new Error(`no reader for ${rule.kind}`);
}
