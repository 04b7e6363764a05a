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

/**
 * The admin CLI (`npm run admin`): the installation's operator, acting inside one account with the
 * owner's rights, on behalf of one of its users (the user whose key it creates or disables; the
 * owner otherwise). The services authorize and audit it like any caller; the audit log shows it as
 * "admin CLI" via "cli".
 */
export function cliPrincipal(user: { accountId: string; id: string }): Principal {
  return {
    accountId: user.accountId,
    userId: user.id,
    via: "cli",
    label: "admin CLI",
    access: { role: "owner", statements: [], keyPermissions: [] },
  };
}
