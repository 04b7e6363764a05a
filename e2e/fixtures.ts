import { type APIRequestContext, test as base, expect } from "@playwright/test";
import { CmqClient } from "@/lib/cmq/client";
import { closePool } from "@/lib/db/pool";
import { createAccountWithOwner } from "@/lib/services/accounts";
import { uniqueName } from "@/lib/testing/fixtures";
import { checkedAgainstDocument, fetchOpenApiDocument } from "./openapi-check";

export { expect, uniqueName };

export type Owner = { accountId: string; email: string; password: string; secretId: string; secretKey: string };

export const basicAuth = (secretId: string, secretKey: string) =>
  `Basic ${Buffer.from(`${secretId}:${secretKey}`).toString("base64")}`;

type Options = {
  /** Check every response of `api` against /api/v1/openapi.json (e2e/openapi-check.ts); `test.use` turns it on. */
  checkedAgainstOpenApi: boolean;
};

type Fixtures = {
  /** A fresh account for this test, with an owner who can log in and an API key. */
  owner: Owner;
  /** REST client authenticated with the owner's API key. */
  api: APIRequestContext;
  /** REST client without credentials. */
  anonymous: APIRequestContext;
  /** CMQ action API client signed with the owner's key (POST /v2/index.php, HmacSHA1). */
  cmq: CmqClient;
};

export const test = base.extend<Options & Fixtures, { dbCleanup: undefined }>({
  checkedAgainstOpenApi: [false, { option: true }],
  dbCleanup: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright's fixture signature
    async ({}, use) => {
      await use(undefined);
      await closePool();
    },
    { scope: "worker", auto: true },
  ],
  // biome-ignore lint/correctness/noEmptyPattern: Playwright's fixture signature
  owner: async ({}, use) => {
    const created = await createAccountWithOwner({
      accountName: uniqueName("acct"),
      email: `${uniqueName("owner")}@e2e.test`,
      password: `pw-${uniqueName("p")}`,
    });
    await use(created);
  },
  api: async ({ playwright, baseURL, owner, checkedAgainstOpenApi }, use) => {
    const context = await playwright.request.newContext({
      baseURL,
      extraHTTPHeaders: { authorization: basicAuth(owner.secretId, owner.secretKey) },
    });
    await use(checkedAgainstOpenApi ? checkedAgainstDocument(context, await fetchOpenApiDocument(context)) : context);
    await context.dispose();
  },
  cmq: async ({ baseURL, owner }, use) => {
    await use(new CmqClient({ endpoint: String(baseURL), secretId: owner.secretId, secretKey: owner.secretKey }));
  },
  anonymous: async ({ playwright, baseURL }, use) => {
    const context = await playwright.request.newContext({ baseURL });
    await use(context);
    await context.dispose();
  },
});
