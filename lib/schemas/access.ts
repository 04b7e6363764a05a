import { z } from "zod";
import { allPermissions, roles } from "@/lib/auth/permissions";
import { isBigintId, isStorableInstant } from "./ids";
import { text } from "./text";

const permissionPattern = z
  .string()
  .min(1)
  .max(64)
  .refine(
    (p) =>
      p === "*" ||
      allPermissions.some((known) => known === p || (p.endsWith(":*") && known.startsWith(p.slice(0, -1)))),
    "must be a permission such as queue:SendMessage, or a family such as queue:*",
  );
/** Bounds on a resource pattern, so matching stays cheap whatever the policy. */
export const maxResourcePatternLength = 128;
export const maxResourcePatternStars = 8;
const resourcePattern = z
  .string()
  .min(1)
  .max(maxResourcePatternLength)
  .regex(/^[a-zA-Z0-9_*-]+$/, "letters, digits, '-', '_' and '*' only")
  .refine(
    (p) => p.split("*").length - 1 <= maxResourcePatternStars,
    `at most ${maxResourcePatternStars} '*' in a pattern`,
  );

export const statementSchema = z.strictObject({
  effect: z.enum(["allow", "deny"]),
  actions: z.array(permissionPattern).min(1).max(30),
  resources: z.array(resourcePattern).min(1).max(30),
});
export type StatementInput = z.infer<typeof statementSchema>;
export const policySchema = z.strictObject({ statements: z.array(statementSchema).max(50) });

export const roleSchema = z.enum(roles);
export const assignableRoleSchema = z.enum(["admin", "developer", "readonly"]);

export const passwordSchema = text().min(10, "must be at least 10 characters").max(200);

export const createUserSchema = z.strictObject({
  email: z.email().max(200),
  name: text().min(1).max(100),
  role: assignableRoleSchema,
  password: passwordSchema.optional(),
});
export const updateUserSchema = z.strictObject({
  name: text().min(1).max(100).optional(),
  role: assignableRoleSchema.optional(),
  isDisabled: z.boolean().optional(),
});

export const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  isDisabled: z.boolean(),
  createdAt: z.string(),
  lastLoginAt: z.string().nullable(),
  statements: z.array(statementSchema),
});
export type User = z.infer<typeof userSchema>;
export const userListSchema = z.object({ users: z.array(userSchema) });
export const createdUserSchema = userSchema.extend({
  password: z.string().nullable().describe("the generated password, shown once; null when you chose it"),
});

export const changePasswordSchema = z.strictObject({
  currentPassword: text().min(1).max(200),
  newPassword: passwordSchema,
});

export const createApiKeySchema = z.strictObject({
  description: text().max(200).default(""),
  permissions: z.array(permissionPattern).max(30).default([]),
});
export const updateApiKeySchema = z.strictObject({
  description: text().max(200).optional(),
  isDisabled: z.boolean().optional(),
});
export const apiKeySchema = z.object({
  id: z.string(),
  secretId: z.string(),
  description: z.string(),
  permissions: z.array(z.string()),
  isDisabled: z.boolean(),
  lastUsedAt: z.string().nullable(),
  createdAt: z.string(),
  userId: z.string(),
  userEmail: z.string(),
  ineffectivePermissions: z
    .array(z.string())
    .describe("entries of `permissions` the key's user's role does not hold: they grant nothing"),
});
export type ApiKey = z.infer<typeof apiKeySchema>;
export const apiKeyListSchema = z.object({ keys: z.array(apiKeySchema) });
export const createdApiKeySchema = apiKeySchema.extend({
  secretKey: z.string().describe("shown only in this response"),
});

const auditInstant = z.iso
  .datetime({ offset: true })
  .refine(isStorableInstant, "must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z");
export const auditQuerySchema = z.strictObject({
  actor: text().max(200).optional(),
  action: text().max(100).optional(),
  resource: text().max(200).optional(),
  outcome: z.enum(["success", "denied", "failure"]).optional(),
  from: auditInstant.optional(),
  to: auditInstant.optional(),
  cursor: z.string().refine(isBigintId, "must be a nextCursor returned by a previous page").optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;
export const auditEventSchema = z.object({
  id: z.string(),
  at: z.string(),
  actorType: z.string(),
  actorLabel: z.string(),
  actorKey: z
    .object({ ownerEmail: z.string(), description: z.string() })
    .nullable()
    .describe("for API key actors, the key's owner and description (null once the key is deleted)"),
  via: z.string(),
  action: z.string(),
  resourceType: z.string(),
  resourceName: z.string().nullable(),
  outcome: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  details: z.unknown(),
});
export const auditPageSchema = z.object({ events: z.array(auditEventSchema), nextCursor: z.string().nullable() });

export const meSchema = z.object({
  user: z.object({ id: z.string(), email: z.string(), name: z.string(), role: roleSchema }),
  account: z.object({ id: z.string(), name: z.string() }),
  via: z.enum(["session", "apiKey", "cli"]),
  access: z.object({ role: roleSchema, statements: z.array(statementSchema), keyPermissions: z.array(z.string()) }),
});
export type Me = z.infer<typeof meSchema>;
