/** Who is calling: a console session or an API key, always inside one account. */
export type Principal = {
  accountId: string;
  userId: string;
  via: "session" | "apiKey";
  apiKeyId?: string;
};
