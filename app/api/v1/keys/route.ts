import { methodNotAllowed, route } from "@/lib/api/route";
import { apiKeyListSchema, createApiKeySchema, createdApiKeySchema } from "@/lib/schemas/access";
import { createKey, listKeys } from "@/lib/services/api-keys";

// GET /api/v1/keys — the caller's API keys (all of the account's with apikey:read); never SecretKeys
export const GET = route({ response: apiKeyListSchema }, async ({ principal }) => ({
  keys: await listKeys(principal),
}));

// POST /api/v1/keys — create a key for the caller, optionally narrowed; the SecretKey is shown once
export const POST = route(
  { body: createApiKeySchema, response: createdApiKeySchema, status: 201 },
  ({ principal, body }) => createKey(principal, body),
);

export const PUT = methodNotAllowed("GET", "POST");
export const PATCH = methodNotAllowed("GET", "POST");
export const DELETE = methodNotAllowed("GET", "POST");
