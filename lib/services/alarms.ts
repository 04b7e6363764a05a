import { randomBytes } from "node:crypto";
import { describeTransition, isNotified } from "@/lib/alarms/evaluate";
import {
  type Access,
  can,
  canSeeQueue,
  canSeeTopic,
  mayEver,
  type Permission,
  seesEvery,
  statementsOf,
  userSeesQueue,
  userSeesTopic,
} from "@/lib/auth/permissions";
import type { Principal } from "@/lib/auth/principal";
import { open, seal } from "@/lib/auth/secret-box";
import { getPrisma } from "@/lib/db/prisma";
import { isUniqueViolation } from "@/lib/db/unique-violation";
import { AppError } from "@/lib/errors";
import type { AlarmRule as AlarmRuleRow, Prisma } from "@/lib/generated/prisma/client";
import {
  type AlarmEventList,
  type AlarmKind,
  type AlarmRule,
  type AlarmRuleList,
  type AlarmScope,
  type AlarmState,
  alarmLimits,
  type CreateAlarmRuleInput,
  databaseAlarmKinds,
  type ListAlarmEventsQuery,
  percentKinds,
  queueAlarmKinds,
  type UpdateAlarmRuleInput,
  type WebhookAlarm,
} from "@/lib/schemas/alarm";
import { audit, type Db, inChangeTransaction } from "./audit";
import { authorize } from "./authorize";
import { getQueueRecordOrThrow } from "./queue-lookup";
import { findSubscriptionOrThrow, findTopicOrThrow, subscriptionNotFound, topicNotFound } from "./topic-lookup";

// Alarm rules and their history (issue 12 items 5 and 6). Reading needs monitor:read, managing
// monitor:alarms; rules on the database's health also need monitor:database. A rule with a scope is
// under the resource policies of what it watches: a queue rule is visible only to whoever sees the
// queue, its user's view for a key narrowed to monitoring (and may read or manage monitoring on that name), a topic or subscription rule likewise for
// the topic, a pattern rule for the pattern as a name. What a caller may not see is ALARM_NOT_FOUND.
// Every change is audited in its own transaction. The worker (lib/alarms/run.ts) evaluates them.

type RuleRef = { id: string };

const notFound = (id: string) => new AppError("ALARM_NOT_FOUND", `Alarm rule ${id} does not exist.`);

const scopeOf = (row: Pick<AlarmRuleRow, "scopeType" | "scopeName" | "scopeSubscription">): AlarmScope => {
  switch (row.scopeType) {
    case "queue":
      return { type: "queue", queue: row.scopeName ?? "" };
    case "topic":
      return { type: "topic", topic: row.scopeName ?? "" };
    case "subscription":
      return { type: "subscription", topic: row.scopeName ?? "", subscription: row.scopeSubscription ?? "" };
    case "pattern":
      return { type: "pattern", pattern: row.scopeName ?? "" };
    default:
      return { type: "account" };
  }
};

/** The kind of resource a rule of this kind reads, if any (the API error rate reads none by name). */
const resourceKindOf = (kind: AlarmKind): "queue" | "topic" | null =>
  queueAlarmKinds.includes(kind) ? "queue" : kind === "pushFailureRate" ? "topic" : null;

/**
 * Whether `access` may take `permission` (monitor:read or monitor:alarms) on a rule of this kind and
 * scope. A pattern is allowed where an allow statement's resource covers it as written (every name
 * the pattern matches then matches the statement) and no deny about queues could cut into it; the
 * account scope only to whoever sees every queue (or topic) the rule reads. Which queues exist is the
 * user's view (a key narrowed to monitoring keeps it: userSeesQueue); monitor:read is needed on the
 * scope whatever the permission asked.
 */
export function canOnAlarm(access: Access, permission: Permission, kind: AlarmKind, scope: AlarmScope): boolean {
  if (databaseAlarmKinds.includes(kind) && !mayEver(access, "monitor:database")) return false;
  // A rule is read through monitor:read: a key that may only manage alarms sees (and makes) none.
  const may = (resource: string) => can(access, "monitor:read", resource) && can(access, permission, resource);
  switch (scope.type) {
    case "queue":
      return userSeesQueue(access, scope.queue) && may(scope.queue);
    case "pattern":
      return (
        may(scope.pattern) &&
        (access.role === "owner" ||
          (!statementsOf(access, "queue").some((s) => s.effect === "deny") && userSeesQueue(access, scope.pattern)))
      );
    case "topic":
    case "subscription":
      return userSeesTopic(access, scope.topic) && may(scope.topic);
    case "account": {
      const resourceKind = resourceKindOf(kind);
      return (resourceKind === null || seesEvery(access, resourceKind)) && may("*");
    }
  }
}

const canSeeRule = (access: Access, row: AlarmRuleRow) =>
  canOnAlarm(access, "monitor:read", row.kind as AlarmKind, scopeOf(row));

export function toAlarmRule(row: AlarmRuleRow): AlarmRule {
  return {
    id: String(row.id),
    name: row.name,
    kind: row.kind as AlarmKind,
    scope: scopeOf(row),
    threshold: row.threshold,
    forSeconds: row.forSeconds,
    windowSeconds: row.windowSeconds,
    webhookUrl: row.webhookUrl,
    enabled: row.enabled,
    state: row.state as AlarmState,
    stateSince: row.stateSince.toISOString(),
    lastValue: row.lastValue,
    lastSubject: row.lastSubject,
    evaluatedAt: row.evaluatedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** GET /api/v1/alarms: the rules the caller may see, by name; `state` filters (the banner asks for firing). */
export async function listAlarmRules(principal: Principal, query: { state?: AlarmState }): Promise<AlarmRuleList> {
  authorize(principal, "monitor:read");
  const rows = await getPrisma().alarmRule.findMany({
    where: { accountId: principal.accountId, ...(query.state ? { state: query.state } : {}) },
    orderBy: [{ name: "asc" }, { id: "asc" }],
  });
  const rules = rows.filter((row) => canSeeRule(principal.access, row)).map(toAlarmRule);
  return { rules, firing: rules.filter((r) => r.state === "firing").length };
}

async function findVisibleRule(principal: Principal, ref: RuleRef): Promise<AlarmRuleRow> {
  const row = await getPrisma().alarmRule.findFirst({ where: { id: BigInt(ref.id), accountId: principal.accountId } });
  if (!row || !canSeeRule(principal.access, row)) throw notFound(ref.id);
  return row;
}

export async function getAlarmRule(principal: Principal, ref: RuleRef): Promise<AlarmRule> {
  authorize(principal, "monitor:read");
  return toAlarmRule(await findVisibleRule(principal, ref));
}

/** Refuses (and audits) a change the caller may not make on a rule of this kind and scope. */
async function authorizeAlarmChange(
  principal: Principal,
  target: { kind: AlarmKind; scope: AlarmScope; name: string; action: string },
): Promise<void> {
  if (canOnAlarm(principal.access, "monitor:alarms", target.kind, target.scope)) return;
  await audit(principal, {
    action: target.action,
    resourceType: "alarm",
    resourceName: target.name,
    outcome: "denied",
  });
  throw new AppError(
    "FORBIDDEN",
    `You may not monitor:alarms on this ${target.kind} rule's scope. Ask an account admin for access.`,
  );
}

/** The role-level check before a rule is looked up; a refusal is audited like any refused change. */
async function authorizeManaging(principal: Principal, id: string, action: string): Promise<void> {
  if (mayEver(principal.access, "monitor:alarms")) return;
  await audit(principal, { action, resourceType: "alarm", resourceName: `rule ${id}`, outcome: "denied" });
  authorize(principal, "monitor:alarms");
}

/**
 * The scope as stored: a named queue, topic or subscription must exist and be visible (its name as
 * found, so the rule follows the name's own spelling); patterns and the account are taken as given.
 */
async function resolveScope(principal: Principal, scope: AlarmScope): Promise<AlarmScope> {
  if (scope.type === "queue") {
    const queue = await getQueueRecordOrThrow(principal.accountId, scope.queue);
    if (!canSeeQueue(principal.access, queue.name)) {
      throw new AppError("QUEUE_NOT_FOUND", `Queue "${scope.queue}" does not exist.`);
    }
    return { type: "queue", queue: queue.name };
  }
  if (scope.type === "topic" || scope.type === "subscription") {
    const topic = await findTopicOrThrow(principal, scope.topic);
    if (!canSeeTopic(principal.access, topic.name)) throw topicNotFound(scope.topic);
    if (scope.type === "topic") return { type: "topic", topic: topic.name };
    const subscription = await findSubscriptionOrThrow(topic, scope.subscription).catch(() => {
      throw subscriptionNotFound(topic.name, scope.subscription);
    });
    return { type: "subscription", topic: topic.name, subscription: subscription.name };
  }
  return scope;
}

const scopeColumns = (scope: AlarmScope) => ({
  scopeType: scope.type,
  scopeName:
    scope.type === "queue"
      ? scope.queue
      : scope.type === "topic" || scope.type === "subscription"
        ? scope.topic
        : scope.type === "pattern"
          ? scope.pattern
          : null,
  scopeSubscription: scope.type === "subscription" ? scope.subscription : null,
});

const newSecret = () => randomBytes(32).toString("base64url");

/** POST /api/v1/alarms: a new rule (state ok); with a webhook, its signing secret is answered once. */
export async function createAlarmRule(
  principal: Principal,
  input: CreateAlarmRuleInput,
): Promise<AlarmRule & { secret: string | null }> {
  const target = { kind: input.kind, scope: input.scope, name: input.name, action: "alarm.create" };
  if (!mayEver(principal.access, "monitor:alarms")) await authorizeAlarmChange(principal, target);
  const scope = await resolveScope(principal, input.scope);
  await authorizeAlarmChange(principal, { ...target, scope });
  const secret = input.webhookUrl ? newSecret() : null;
  try {
    const row = await inChangeTransaction(async (tx) => {
      // The account row's lock serialises this account's creates, so concurrent ones cannot all pass the count.
      await tx.$queryRaw`SELECT id FROM account WHERE id = ${principal.accountId}::uuid FOR NO KEY UPDATE`;
      const count = await tx.alarmRule.count({ where: { accountId: principal.accountId } });
      if (count >= alarmLimits.rulesPerAccount) {
        throw new AppError(
          "ALARM_LIMIT_EXCEEDED",
          `An account has at most ${alarmLimits.rulesPerAccount} alarm rules.`,
        );
      }
      const created = await tx.alarmRule.create({
        data: {
          accountId: principal.accountId,
          name: input.name,
          kind: input.kind,
          ...scopeColumns(scope),
          threshold: input.threshold,
          forSeconds: input.forSeconds,
          windowSeconds: input.windowSeconds,
          webhookUrl: input.webhookUrl,
          secretEncrypted: secret ? seal(secret) : null,
          enabled: input.enabled,
        },
      });
      await audit(
        principal,
        { action: "alarm.create", resourceType: "alarm", resourceName: created.name, details: auditDetails(created) },
        tx,
      );
      return created;
    });
    return { ...toAlarmRule(row), secret };
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("ALARM_EXISTS", `An alarm rule named "${input.name}" exists.`);
    throw error;
  }
}

const auditDetails = (row: AlarmRuleRow) => ({
  id: String(row.id),
  kind: row.kind,
  scope: scopeOf(row),
  threshold: row.threshold,
  forSeconds: row.forSeconds,
  windowSeconds: row.windowSeconds,
  webhookUrl: row.webhookUrl,
  enabled: row.enabled,
});

/**
 * PATCH /api/v1/alarms/{id}. Kind and scope are fixed. Setting a webhook where there was none makes
 * a new secret (answered once); removing it drops the secret. Disabling a pending or firing rule
 * moves it to ok with an event (a firing one's resolve is sent), in the same transaction.
 */
export async function updateAlarmRule(
  principal: Principal,
  ref: RuleRef,
  input: UpdateAlarmRuleInput,
): Promise<AlarmRule & { secret: string | null }> {
  await authorizeManaging(principal, ref.id, "alarm.update");
  const existing = await findVisibleRule(principal, ref);
  const kind = existing.kind as AlarmKind;
  await authorizeAlarmChange(principal, {
    kind,
    scope: scopeOf(existing),
    name: existing.name,
    action: "alarm.update",
  });
  if (input.threshold !== undefined && input.threshold > 100 && percentKinds.includes(kind)) {
    throw new AppError("INVALID_INPUT", `A ${kind} rule's threshold is a percentage: at most 100.`);
  }
  const secret = input.webhookUrl && !existing.webhookUrl ? newSecret() : null;
  try {
    const row = await inChangeTransaction(async (tx) => {
      const data: Prisma.AlarmRuleUpdateInput = {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.threshold !== undefined ? { threshold: input.threshold } : {}),
        ...(input.forSeconds !== undefined ? { forSeconds: input.forSeconds } : {}),
        ...(input.windowSeconds !== undefined ? { windowSeconds: input.windowSeconds } : {}),
        ...(input.webhookUrl !== undefined ? { webhookUrl: input.webhookUrl } : {}),
        ...(input.webhookUrl === null ? { secretEncrypted: null } : {}),
        ...(secret ? { secretEncrypted: seal(secret) } : {}),
        ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
        updatedAt: new Date(),
      };
      // Locks the row: the worker's transition (compare-and-set on state) waits or finds it moved.
      const [current] = await tx.$queryRaw<{ state: string }[]>`
        SELECT state FROM alarm_rule WHERE id = ${existing.id} FOR UPDATE`;
      if (!current) throw notFound(ref.id);
      const from = current.state as AlarmState;
      const turningOff = input.enabled === false && from !== "ok";
      const turningOn = input.enabled === true && !existing.enabled;
      if (turningOff || turningOn) Object.assign(data, { state: "ok", stateSince: new Date() });
      const updated = await tx.alarmRule.update({ where: { id: existing.id }, data });
      if (turningOff) await writeSwitchedOffEvent(tx, updated, from, "Rule disabled.");
      await audit(
        principal,
        {
          action: "alarm.update",
          resourceType: "alarm",
          resourceName: updated.name,
          details: { ...input, id: ref.id },
        },
        tx,
      );
      return updated;
    });
    return { ...toAlarmRule(row), secret };
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("ALARM_EXISTS", `An alarm rule named "${input.name}" exists.`);
    throw error;
  }
}

/**
 * The transition a rule makes when it is switched off (disabled or deleted) while pending or firing:
 * to ok, with an event saying why. A firing rule's resolve webhook is queued like any other.
 */
async function writeSwitchedOffEvent(tx: Db, rule: AlarmRuleRow, from: AlarmState, why: string): Promise<void> {
  const notify = isNotified(from, "ok") && rule.webhookUrl !== null;
  const said = describeTransition(rule as { kind: AlarmKind } & AlarmRuleRow, from, "ok", null, null);
  await tx.alarmEvent.create({
    data: {
      accountId: rule.accountId,
      ruleId: rule.id,
      ruleName: rule.name,
      fromState: from,
      toState: "ok",
      value: null,
      threshold: rule.threshold,
      subject: null,
      message: `${why} ${said}`,
      notifyStatus: notify ? "pending" : "none",
      // Due at once by the database's clock, whatever this process's says (claims compare with now()).
      notifyNextAt: notify ? new Date(0) : null,
    },
  });
}

/** The rule as its webhooks describe it (lib/alarms/notify.ts alarmPayload). */
const webhookAlarmOf = (rule: AlarmRuleRow): WebhookAlarm => ({
  id: String(rule.id),
  name: rule.name,
  kind: rule.kind as AlarmKind,
  scope: scopeOf(rule),
  threshold: rule.threshold,
  forSeconds: rule.forSeconds,
  windowSeconds: rule.windowSeconds,
});

/**
 * DELETE /api/v1/alarms/{id}: the rule goes; its history stays (with its name). A pending or firing
 * rule first moves to ok with a "Rule deleted." event, in the same transaction, and a firing one's
 * resolve webhook is still sent: that event, and any other of the rule whose webhook is still to be
 * sent, keep a copy of what the notifier needs once the rule row is gone (the alarm as the webhook
 * describes it, the URL, the secret still sealed).
 */
export async function deleteAlarmRule(principal: Principal, ref: RuleRef): Promise<void> {
  await authorizeManaging(principal, ref.id, "alarm.delete");
  const existing = await findVisibleRule(principal, ref);
  await authorizeAlarmChange(principal, {
    kind: existing.kind as AlarmKind,
    scope: scopeOf(existing),
    name: existing.name,
    action: "alarm.delete",
  });
  await inChangeTransaction(async (tx) => {
    // Locks the row: the worker's transition (compare-and-set on state) waits and then finds it
    // gone, or it moved first and the state read here is the one it left.
    const [locked] = await tx.$queryRaw<{ id: bigint }[]>`
      SELECT id FROM alarm_rule WHERE id = ${existing.id} AND account_id = ${principal.accountId}::uuid FOR UPDATE`;
    const rule = locked ? await tx.alarmRule.findUnique({ where: { id: existing.id } }) : null;
    // Decided again on the row as locked: a change of its scope since it was read may have taken it
    // out of the caller's reach (DESIGN.md §4.8).
    if (!rule || !canOnAlarm(principal.access, "monitor:alarms", rule.kind as AlarmKind, scopeOf(rule))) {
      throw notFound(ref.id);
    }
    const from = rule.state as AlarmState;
    if (from !== "ok") await writeSwitchedOffEvent(tx, rule, from, "Rule deleted.");
    if (rule.webhookUrl !== null && rule.secretEncrypted !== null) {
      await tx.alarmEvent.updateMany({
        where: { ruleId: rule.id, notifyStatus: "pending" },
        data: { ruleCopy: webhookAlarmOf(rule), webhookUrl: rule.webhookUrl, secretEncrypted: rule.secretEncrypted },
      });
    }
    await tx.alarmRule.delete({ where: { id: rule.id } });
    await audit(
      principal,
      {
        action: "alarm.delete",
        resourceType: "alarm",
        resourceName: rule.name,
        details: { id: ref.id, state: from },
      },
      tx,
    );
  });
}

/** GET /api/v1/alarms/{id}/secret: the key the rule's webhooks are signed with (monitor:alarms). */
export async function getAlarmSecret(principal: Principal, ref: RuleRef): Promise<{ secret: string }> {
  authorize(principal, "monitor:alarms");
  const rule = await findVisibleRule(principal, ref);
  await authorizeAlarmChange(principal, {
    kind: rule.kind as AlarmKind,
    scope: scopeOf(rule),
    name: rule.name,
    action: "alarm.secret",
  });
  if (!rule.secretEncrypted) throw new AppError("NOT_FOUND", "This alarm rule has no webhook, so no secret.");
  return { secret: open(rule.secretEncrypted) };
}

/**
 * GET /api/v1/alarms/events: transitions, newest first, of the rules the caller may see (events of
 * deleted rules only to callers whose access no resource policy narrows), with each webhook attempt.
 */
export async function listAlarmEvents(principal: Principal, query: ListAlarmEventsQuery): Promise<AlarmEventList> {
  authorize(principal, "monitor:read");
  const prisma = getPrisma();
  const rules = await prisma.alarmRule.findMany({ where: { accountId: principal.accountId } });
  const visible = rules.filter((row) => canSeeRule(principal.access, row)).map((row) => row.id);
  // A deleted rule's events may name any queue or topic, or the database's sessions.
  const unrestricted =
    seesEvery(principal.access, "queue") &&
    seesEvery(principal.access, "topic") &&
    mayEver(principal.access, "monitor:database");
  if (query.rule !== undefined && !visible.includes(BigInt(query.rule))) throw notFound(query.rule);
  const ruleFilter: Prisma.AlarmEventWhereInput =
    query.rule !== undefined
      ? { ruleId: BigInt(query.rule) }
      : { OR: [{ ruleId: { in: visible } }, ...(unrestricted ? [{ ruleId: null }] : [])] };
  const rows = await prisma.alarmEvent.findMany({
    where: {
      accountId: principal.accountId,
      ...ruleFilter,
      ...(query.state ? { toState: query.state } : {}),
      ...(query.from || query.to
        ? {
            at: {
              ...(query.from ? { gte: new Date(query.from) } : {}),
              ...(query.to ? { lt: new Date(query.to) } : {}),
            },
          }
        : {}),
      ...(query.before ? { id: { lt: BigInt(query.before) } } : {}),
    },
    orderBy: { id: "desc" },
    take: query.limit + 1,
    include: { attempts: { orderBy: { attempt: "asc" } } },
  });
  const page = rows.slice(0, query.limit);
  return {
    events: page.map((e) => ({
      id: String(e.id),
      ruleId: e.ruleId === null ? null : String(e.ruleId),
      ruleName: e.ruleName,
      at: e.at.toISOString(),
      fromState: e.fromState as AlarmState,
      toState: e.toState as AlarmState,
      value: e.value,
      threshold: e.threshold,
      subject: e.subject,
      message: e.message,
      notifyStatus: e.notifyStatus as AlarmEventList["events"][number]["notifyStatus"],
      attempts: e.attempts.map((a) => ({
        attempt: a.attempt,
        at: a.at.toISOString(),
        httpStatus: a.httpStatus,
        error: a.error,
        latencyMs: a.latencyMs,
      })),
    })),
    nextBefore: rows.length > query.limit ? String(page[page.length - 1]?.id) : null,
  };
}
