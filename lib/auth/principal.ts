import type { Access } from "./permissions";

/** Who is calling: a console user, an API key, or the admin CLI — always inside one account. */
export type Principal = {
  accountId: string;
  userId: string;
  via: "session" | "apiKey" | "cli";
  apiKeyId?: string;
  /** For the audit log: the user's email, or the key's SecretId. */
  label: string;
  access: Access;
  source?: { ip?: string; userAgent?: string };
};
