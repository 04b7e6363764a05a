// Permissions are "resource:action" strings, in this one table, shared by the server and the
// console (which hides what the caller cannot do). CMQ's action names are the queue/topic actions.

export const permissionTable = {
  "queue:CreateQueue": "Create queues",
  "queue:ListQueue": "List queues",
  "queue:GetQueueAttributes": "Read queue attributes and counts",
  "queue:SetQueueAttributes": "Change queue attributes",
  "queue:DeleteQueue": "Delete queues",
  "queue:SendMessage": "Send messages (SendMessage, BatchSendMessage)",
  "queue:ReceiveMessage": "Receive messages (ReceiveMessage, BatchReceiveMessage)",
  "queue:DeleteMessage": "Delete received messages (DeleteMessage, BatchDeleteMessage)",
  "queue:ChangeMessageVisibility": "Extend or end the lease of a received message",
  "queue:RewindQueue": "Rewind queues: re-deliver the messages produced since a point in time",
  "message:peek": "Browse messages in the console without consuming them",
  "message:purge": "Purge messages (all, by state or by filter) and delete single messages by id",
  "message:redrive": "Redrive dead messages, and move or copy messages to another queue",
  "topic:CreateTopic": "Create topics",
  "topic:ListTopic": "List topics",
  "topic:GetTopicAttributes": "Read topic attributes",
  "topic:SetTopicAttributes": "Change topic attributes",
  "topic:DeleteTopic": "Delete topics",
  "topic:PublishMessage": "Publish messages (PublishMessage, BatchPublishMessage)",
  "topic:Subscribe": "Manage subscriptions",
  "user:read": "See the account's users",
  "user:manage": "Create, change and disable users, and set their roles and policies",
  "apikey:own": "Create and manage one's own API keys",
  "apikey:read": "See every API key of the account",
  "apikey:manage": "Disable and delete any API key of the account",
  "audit:read": "Read the audit log",
  "monitor:read": "See metrics, charts and alarms",
  "monitor:alarms": "Create, change and delete alarm rules",
  "monitor:database": "See the database health page (table sizes, vacuum, connections)",
} as const;

export type Permission = keyof typeof permissionTable;
export const allPermissions = Object.keys(permissionTable) as Permission[];

export const roles = ["owner", "admin", "developer", "readonly"] as const;
export type Role = (typeof roles)[number];

/** What each role may do at most; resource policies can only narrow it. */
export const rolePermissions: Record<Role, string[]> = {
  owner: ["*"],
  admin: ["queue:*", "topic:*", "message:*", "user:*", "apikey:*", "audit:read", "monitor:*"],
  developer: ["queue:*", "topic:*", "message:peek", "message:redrive", "apikey:own", "monitor:read", "monitor:alarms"],
  readonly: [
    "queue:ListQueue",
    "queue:GetQueueAttributes",
    "topic:ListTopic",
    "topic:GetTopicAttributes",
    "message:peek",
    "apikey:own",
    "monitor:read",
  ],
};

export type Statement = { effect: "allow" | "deny"; actions: string[]; resources: string[] };

export type Access = {
  role: Role;
  /** The user's resource policy. Ignored for the owner. */
  statements: Statement[];
  /** An API key's narrowing; empty = all of the user's permissions. */
  keyPermissions: string[];
};

/**
 * Glob match where `*` stands for any run of characters; case-insensitive like resource names.
 * No regex: the literal pieces between stars are found left to right, each at its first place
 * after the previous one (leftmost is always best for `*` globs), so a match costs at most
 * O(pattern × value) and never backtracks — `*a*a*a…*b` against a long name stays cheap.
 */
export function matchesPattern(pattern: string, value: string): boolean {
  if (pattern === "*") return true;
  const p = pattern.toLowerCase();
  const v = value.toLowerCase();
  const pieces = p.split("*");
  if (pieces.length === 1) return p === v;
  const first = pieces[0] ?? "";
  const last = pieces[pieces.length - 1] ?? "";
  if (first.length + last.length > v.length || !v.startsWith(first) || !v.endsWith(last)) return false;
  let at = first.length;
  const end = v.length - last.length;
  for (const piece of pieces.slice(1, -1)) {
    const found = v.indexOf(piece, at);
    if (found < 0 || found + piece.length > end) return false;
    at = found + piece.length;
  }
  return true;
}

/** The kind of resource an action is about: message actions are about queues. */
export const kindOf = (action: string) => {
  const prefix = action.split(":")[0] ?? "";
  return prefix === "message" ? "queue" : prefix;
};
/** Whether an action pattern names some action on this kind of resource. */
export const coversKind = (pattern: string, kind: string) =>
  allPermissions.some((p) => kindOf(p) === kind && matchesPattern(pattern, p));

/**
 * The one authorization rule, for server and console alike:
 *  1. the role must grant the action;
 *  2. an API key's narrowing must include it;
 *  3. a matching deny statement refuses it (deny wins);
 *  4. if the user has allow statements for this kind of resource (queues, which message actions are
 *     about too; topics; …), one of them must match both action and resource.
 */
export function can(access: Access, action: string, resource = "*"): boolean {
  if (!rolePermissions[access.role].some((p) => matchesPattern(p, action))) return false;
  if (access.keyPermissions.length > 0 && !access.keyPermissions.some((p) => matchesPattern(p, action))) return false;
  if (access.role === "owner") return true;
  const applies = (s: Statement) =>
    s.actions.some((p) => matchesPattern(p, action)) && s.resources.some((r) => matchesPattern(r, resource));
  if (access.statements.some((s) => s.effect === "deny" && applies(s))) return false;
  const kind = kindOf(action);
  const scoped = access.statements.filter((s) => s.effect === "allow" && s.actions.some((p) => coversKind(p, kind)));
  return scoped.length === 0 || scoped.some(applies);
}

const queueVisibility: Permission[] = [
  "queue:ListQueue",
  "queue:GetQueueAttributes",
  "queue:SetQueueAttributes",
  "queue:DeleteQueue",
  "queue:SendMessage",
  "queue:ReceiveMessage",
  "queue:DeleteMessage",
  "message:peek",
];

const topicVisibility: Permission[] = [
  "topic:ListTopic",
  "topic:GetTopicAttributes",
  "topic:SetTopicAttributes",
  "topic:DeleteTopic",
  "topic:PublishMessage",
  "topic:Subscribe",
];

const actsOnQueue = (access: Access, queueName: string) => queueVisibility.some((a) => can(access, a, queueName));
const actsOnTopic = (access: Access, topicName: string) => topicVisibility.some((a) => can(access, a, topicName));
/** The access of the caller's user: an API key's narrowing set aside. */
const userOf = (access: Access): Access =>
  access.keyPermissions.length === 0 ? access : { ...access, keyPermissions: [] };

/**
 * Whether the caller's user sees the queue (topic): it may do something with it. A key narrowed to
 * monitoring (a scraper's, an alerting tool's) keeps its user's view of which queues and topics
 * exist; the narrowing takes away what it may do to them.
 */
export const userSeesQueue = (access: Access, queueName: string) => actsOnQueue(userOf(access), queueName);
export const userSeesTopic = (access: Access, topicName: string) => actsOnTopic(userOf(access), topicName);

/** Whose metrics (series, top lists, /metrics) and alarms the caller reads: its user sees it, with monitor:read on it. */
export const canMonitorQueue = (access: Access, queueName: string) =>
  can(access, "monitor:read", queueName) && userSeesQueue(access, queueName);
export const canMonitorTopic = (access: Access, topicName: string) =>
  can(access, "monitor:read", topicName) && userSeesTopic(access, topicName);

/**
 * A queue is visible to whoever may do anything with it or monitor it; to everyone else it does not
 * exist (DESIGN.md §4.5). For a session or a key with its user's full rights, monitoring adds nothing;
 * a key narrowed to monitoring sees its user's queues, and is refused (FORBIDDEN) what it may not do.
 */
export const canSeeQueue = (access: Access, queueName: string) =>
  actsOnQueue(access, queueName) || canMonitorQueue(access, queueName);

/** A topic (and its subscriptions) is visible to whoever may do anything with it or monitor it. */
export const canSeeTopic = (access: Access, topicName: string) =>
  actsOnTopic(access, topicName) || canMonitorTopic(access, topicName);

/** The statements of a policy about this kind of resource (queues, with the message actions; topics). */
export const statementsOf = (access: Access, kind: "queue" | "topic") =>
  access.statements.filter((s) => s.actions.some((p) => coversKind(p, kind)));

/**
 * Whether the caller sees every resource of this kind, so that a figure read across all of them
 * (an account's worst queue, its totals) shows nothing hidden: the owner, a policy silent about the
 * kind, or one that allows it on "*" and denies none of it.
 */
export function seesEvery(access: Access, kind: "queue" | "topic"): boolean {
  if (access.role === "owner") return true;
  const statements = statementsOf(access, kind);
  if (statements.some((s) => s.effect === "deny")) return false;
  return statements.length === 0 || statements.some((s) => s.resources.includes("*"));
}

/** CMQ action → permission. */
export const cmqActionPermission: Record<string, Permission> = {
  CreateQueue: "queue:CreateQueue",
  ListQueue: "queue:ListQueue",
  GetQueueAttributes: "queue:GetQueueAttributes",
  SetQueueAttributes: "queue:SetQueueAttributes",
  DeleteQueue: "queue:DeleteQueue",
  SendMessage: "queue:SendMessage",
  BatchSendMessage: "queue:SendMessage",
  ReceiveMessage: "queue:ReceiveMessage",
  BatchReceiveMessage: "queue:ReceiveMessage",
  DeleteMessage: "queue:DeleteMessage",
  BatchDeleteMessage: "queue:DeleteMessage",
  CreateTopic: "topic:CreateTopic",
  ListTopic: "topic:ListTopic",
  GetTopicAttributes: "topic:GetTopicAttributes",
  SetTopicAttributes: "topic:SetTopicAttributes",
  DeleteTopic: "topic:DeleteTopic",
  PublishMessage: "topic:PublishMessage",
  BatchPublishMessage: "topic:PublishMessage",
  Subscribe: "topic:Subscribe",
  SetSubscriptionAttributes: "topic:Subscribe",
  Unsubscribe: "topic:Subscribe",
  ClearSubscriptionFilterTags: "topic:Subscribe",
  GetSubscriptionAttributes: "topic:GetTopicAttributes",
  ListSubscriptionByTopic: "topic:GetTopicAttributes",
};

/** Whether the role (and key narrowing) grant the action on at least some resource. */
export const mayEver = (access: Access, action: string) =>
  rolePermissions[access.role].some((p) => matchesPattern(p, action)) &&
  (access.keyPermissions.length === 0 || access.keyPermissions.some((p) => matchesPattern(p, action)));
