import type { Browser, Page } from "@playwright/test";
import { basicAuth, expect, type Owner, test, uniqueName } from "../fixtures";
import { shoot, signIn } from "./console";

// Team access as people meet it in the console: the owner adds users and scopes one to some queues;
// each user then sees exactly what their role and policy allow — in the UI and, when they go around
// it, from the API. API keys show their secret once. Every page is screenshotted.

/** A fresh browser context (no cookies), signed in as `who`, on the queue list. */
async function signedInPage(browser: Browser, baseURL: string, who: Pick<Owner, "email" | "password">) {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await page.goto("/queues");
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fqueues$/);
  await signIn(page, who);
  await expect(page).toHaveURL(/\/queues$/);
  return page;
}

/** Adds a user through the dialog; returns the generated password the dialog shows once. */
async function addUser(page: Page, user: { email: string; name: string; role: string }, screenshot?: string) {
  await page.getByTestId("add-user").click();
  const dialog = page.getByTestId("add-user-dialog");
  await dialog.getByTestId("new-user-email").fill(user.email);
  await dialog.getByTestId("new-user-name").fill(user.name);
  await dialog.getByTestId("new-user-role").selectOption(user.role);
  await dialog.getByTestId("submit-add-user").click();
  const password = dialog.getByTestId("generated-password");
  await expect(password).toBeVisible();
  await expect(dialog.getByTestId("password-warning")).toContainText("shown only now");
  await expect(dialog.getByTestId("generated-password-copy")).toBeVisible();
  const text = (await password.textContent()) ?? "";
  expect(text.length).toBeGreaterThanOrEqual(10);
  if (screenshot) await page.screenshot({ path: test.info().outputPath(`${screenshot}.png`) });
  await dialog.getByTestId("add-user-done").click();
  await expect(dialog).toBeHidden();
  return text;
}

const nav = (page: Page, name: string) => page.getByTestId("console-nav").getByRole("link", { name, exact: true });

test.describe("team access", () => {
  test("a read-only user and a developer scoped to orders-* each see exactly what they may", async ({
    page,
    owner,
    api,
    browser,
    baseURL,
  }) => {
    test.setTimeout(120_000);
    const base = String(baseURL);

    // The owner signs in on the users page and sees every access page in the nav.
    await page.goto("/access/users");
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2Faccess%2Fusers$/);
    await signIn(page, owner);
    await expect(page).toHaveURL(/\/access\/users$/);
    for (const name of ["Queues", "Users", "API keys", "Audit log"]) await expect(nav(page, name)).toBeVisible();
    const ownerRow = page.locator(`[data-testid="user-row"][data-email="${owner.email}"]`);
    await expect(ownerRow.getByTestId("role-badge")).toHaveText("Owner");
    await expect(ownerRow.getByTestId("user-policy")).toHaveText("Everything (owner)");
    // The owner's row offers no actions at all.
    await expect(page.getByTestId("add-user")).toBeEnabled();
    await expect(ownerRow.getByTestId("user-actions")).toHaveCount(0);

    // The dialog checks its fields before sending.
    await page.getByTestId("add-user").click();
    await page.getByTestId("new-user-email").fill("not-an-email");
    await page.getByTestId("new-user-password").fill("short");
    await page.getByTestId("submit-add-user").click();
    await expect(page.getByTestId("new-user-email-error")).toHaveText("Enter an email address.");
    await expect(page.getByTestId("new-user-name-error")).toHaveText("Enter a name.");
    await expect(page.getByTestId("new-user-password-error")).toHaveText("Use at least 10 characters, or leave empty.");
    await page.getByTestId("add-user-dialog").getByRole("button", { name: "Cancel" }).click();

    const reader = { email: `${uniqueName("reader")}@e2e.test`, password: "" };
    reader.password = await addUser(
      page,
      { email: reader.email, name: "Rita Reader", role: "readonly" },
      "01-user-created-password",
    );
    const dev = { email: `${uniqueName("dev")}@e2e.test`, password: "" };
    dev.password = await addUser(page, { email: dev.email, name: "Dev Orders", role: "developer" });

    const readerRow = page.locator(`[data-testid="user-row"][data-email="${reader.email}"]`);
    await expect(readerRow.getByTestId("role-badge")).toHaveText("Read-only");
    await expect(readerRow.getByTestId("user-status")).toHaveText("Active");
    await expect(readerRow.getByTestId("user-policy")).toHaveText("Whole role, all resources");

    // Scope the developer to orders-*: allow queue:* and message:peek there.
    const devRow = page.locator(`[data-testid="user-row"][data-email="${dev.email}"]`);
    await devRow.getByTestId("edit-policy").click();
    const policy = page.getByTestId("policy-dialog");
    await expect(policy).toContainText("Deny wins");
    await expect(policy).toContainText("Allow statements scope the role to the resources listed");
    await expect(policy.getByTestId("policy-empty")).toBeVisible();
    await policy.getByTestId("add-statement").click();
    const statement = policy.getByTestId("statement-0");
    await statement.getByTestId("statement-0-action-queue:*").check();
    // The family covers its members: they show as checked and locked.
    await expect(statement.getByTestId("statement-0-action-queue:SendMessage")).toBeChecked();
    await expect(statement.getByTestId("statement-0-action-queue:SendMessage")).toBeDisabled();
    await statement.getByTestId("statement-0-action-message:peek").check();
    await policy.getByTestId("save-policy").click();
    await expect(statement.getByTestId("statement-0-resources-error")).toContainText("Name at least one queue");
    await statement.getByTestId("statement-0-resources-input").fill("orders-*");
    await shoot(page, "02-policy-editor");
    await policy.getByTestId("save-policy").click();
    await expect(policy).toBeHidden();
    await expect(devRow.getByTestId("user-policy")).toHaveText("Allow queue:*, message:peek on orders-*");
    await shoot(page, "03-users");

    const users = (await (await api.get("/api/v1/users")).json()).users as { email: string; statements: unknown }[];
    expect(users.find((u) => u.email === dev.email)?.statements).toEqual([
      { effect: "allow", actions: ["queue:*", "message:peek"], resources: ["orders-*"] },
    ]);

    for (const name of ["orders-1", "billing-1"])
      expect((await api.post("/api/v1/queues", { data: { name } })).status()).toBe(201);

    // The read-only user sees both queues and no control that would change anything.
    const readerPage = await signedInPage(browser, base, reader);
    await expect(readerPage.locator('[data-testid="queue-row"][data-queue="orders-1"]')).toBeVisible();
    await expect(readerPage.locator('[data-testid="queue-row"][data-queue="billing-1"]')).toBeVisible();
    await expect(readerPage.getByTestId("queue-row")).toHaveCount(2);
    await expect(readerPage.getByTestId("create-queue-denied")).toBeVisible();
    await expect(readerPage.getByTestId("create-queue")).toHaveCount(0);
    await expect(nav(readerPage, "API keys")).toBeVisible();
    await expect(nav(readerPage, "Users")).toHaveCount(0);
    await expect(nav(readerPage, "Audit log")).toHaveCount(0);
    await shoot(readerPage, "04-queues-read-only");

    await readerPage.getByRole("link", { name: "orders-1" }).click();
    await expect(readerPage.getByTestId("queue-title")).toHaveText("orders-1");
    // Wait for the access answer to be shown before checking what is absent.
    await expect(readerPage.getByTestId("send-denied")).toHaveText(
      "Your role (Read-only) does not include queue:SendMessage.",
    );
    await expect(readerPage.getByTestId("message-browser")).toBeVisible();
    await expect(readerPage.getByTestId("delete-queue")).toHaveCount(0);
    await expect(readerPage.getByTestId("purge-queue")).toHaveCount(0);
    await expect(readerPage.getByTestId("bulk-actions")).toHaveCount(0);
    await expect(readerPage.getByTestId("send-message")).toHaveCount(0);
    await readerPage.getByTestId("queue-tab-settings").click();
    await expect(readerPage.getByTestId("edit-denied")).toBeVisible();
    await expect(readerPage.getByTestId("edit-attributes")).toHaveCount(0);
    await expect(readerPage.getByTestId("dead-letter-denied")).toBeVisible();
    await shoot(readerPage, "05-queue-detail-read-only");

    await readerPage.goto("/queues/new");
    await expect(readerPage.getByTestId("no-access")).toContainText("You cannot create queues");
    await readerPage.goto("/access/users");
    await expect(readerPage.getByTestId("no-access")).toContainText("does not include user:read");

    // Forced from devtools: the API refuses what the console hid, and nothing is created.
    const forced = await readerPage.evaluate(() =>
      fetch("/api/v1/queues", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: "sneaky" }),
      }).then((r) => r.status),
    );
    expect(forced).toBe(403);
    expect((await api.get("/api/v1/queues/sneaky")).status()).toBe(404);
    expect((await (await api.get("/api/v1/queues?search=sneaky")).json()).total).toBe(0);

    // The developer sees orders-1 only; billing-1 does not exist for them.
    const devPage = await signedInPage(browser, base, dev);
    await expect(devPage.locator('[data-testid="queue-row"][data-queue="orders-1"]')).toBeVisible();
    await expect(devPage.getByTestId("queue-row")).toHaveCount(1);
    await expect(devPage.locator('[data-testid="queue-row"][data-queue="billing-1"]')).toHaveCount(0);
    await expect(devPage.getByTestId("create-queue")).toBeVisible();
    await expect(nav(devPage, "Users")).toHaveCount(0);
    await shoot(devPage, "06-queues-developer");
    await devPage.goto("/queues/billing-1");
    await expect(devPage.getByTestId("queue-not-found")).toBeVisible();

    await devPage.goto("/queues/orders-1?tab=settings");
    await expect(devPage.getByTestId("edit-attributes")).toBeVisible();
    await expect(devPage.getByTestId("delete-queue")).toBeVisible();
    await devPage.getByTestId("queue-tab-messages").click();
    const body = `scoped hello ${uniqueName("m")}`;
    await devPage.getByTestId("message-body").fill(body);
    await devPage.getByTestId("send-message").click();
    await expect(devPage.getByTestId("send-success")).toContainText("Sent message");
    await expect(devPage.getByTestId("message-row").filter({ hasText: body })).toBeVisible();
    await shoot(devPage, "07-queue-detail-developer");
    const ordersCounts = (await (await api.get("/api/v1/queues/orders-1")).json()).counts;
    expect(ordersCounts.visible).toBe(1);

    // The audit log has the users created, the policy set, and the refused attempt.
    await page.goto("/access/audit");
    await expect(page.locator('[data-testid="audit-row"][data-action="user.create"]')).toHaveCount(2);
    await expect(page.locator('[data-testid="audit-row"][data-action="user.policy"]')).toHaveCount(1);
    await page.getByTestId("audit-filter-outcome").selectOption("denied");
    const denied = page.getByTestId("audit-row");
    await expect(denied).toHaveCount(1);
    await expect(denied.getByTestId("audit-action")).toHaveText("queue.create");
    await expect(denied.getByTestId("audit-actor")).toHaveText(reader.email);
    await expect(denied.getByTestId("audit-resource")).toHaveText("sneaky");
    await expect(denied.getByTestId("audit-outcome")).toHaveText("Denied");

    // Disabling the read-only user ends their session at once.
    await page.goto("/access/users");
    await readerRow.getByTestId("toggle-user").click();
    await page.getByTestId("toggle-user-dialog").getByTestId("confirm-button").click();
    await expect(readerRow.getByTestId("user-status")).toHaveText("Disabled");
    // Asked with the reader's own session cookie. (Not with fetch() in the page: the 401 carries
    // `WWW-Authenticate: Basic`, and the browser then holds the request for a credentials prompt.)
    const afterDisable = await readerPage.context().request.get("/api/v1/queues");
    expect(afterDisable.status()).toBe(401);
    expect((await afterDisable.json()).error.code).toBe("UNAUTHORIZED");

    await readerPage.context().close();
    await devPage.context().close();
  });

  test("an API key's secret is shown once; a disabled key gets 401; the audit log records both", async ({
    page,
    owner,
    api,
    playwright,
    baseURL,
  }) => {
    test.setTimeout(90_000);
    await page.goto("/access/keys");
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2Faccess%2Fkeys$/);
    await signIn(page, owner);
    await expect(page).toHaveURL(/\/access\/keys$/);
    // The account's first key is listed, with its user; its SecretKey is nowhere.
    const firstRow = page.locator(`[data-testid="api-key-row"][data-secret-id="${owner.secretId}"]`);
    await expect(firstRow.getByTestId("api-key-user")).toContainText(owner.email);
    await expect(firstRow.getByTestId("api-key-permissions")).toHaveText("All of the user’s");
    expect(await page.content()).not.toContain(owner.secretKey);

    // Create a key narrowed to reading queues.
    await page.getByTestId("create-api-key").click();
    const dialog = page.getByTestId("create-api-key-dialog");
    await dialog.getByTestId("api-key-description").fill("reporting job");
    await dialog.getByTestId("api-key-scope-narrow").check();
    await dialog.getByTestId("submit-create-api-key").click();
    await expect(dialog.getByTestId("api-key-permissions-error")).toContainText("Pick at least one permission");
    await dialog.getByTestId("api-key-permission-queue:ListQueue").check();
    await dialog.getByTestId("api-key-permission-queue:GetQueueAttributes").check();
    await dialog.getByTestId("submit-create-api-key").click();
    await expect(dialog).toBeHidden();

    const panel = page.getByTestId("new-api-key-panel");
    await expect(panel).toContainText("shown only this once");
    const secretId = (await panel.getByTestId("new-secret-id").textContent()) ?? "";
    const secretKey = (await panel.getByTestId("new-secret-key").textContent()) ?? "";
    expect(secretId).toMatch(/^AKID/);
    expect(secretKey.length).toBeGreaterThanOrEqual(20);
    await expect(panel.getByTestId("new-secret-key-copy")).toBeVisible();
    const row = page.locator(`[data-testid="api-key-row"][data-secret-id="${secretId}"]`);
    await expect(row.getByTestId("api-key-permissions")).toHaveText("queue:ListQueuequeue:GetQueueAttributes");
    await expect(row.getByTestId("api-key-last-used")).toHaveText("Never");
    await shoot(page, "01-api-key-shown-once");

    // After a reload the secret is gone from the page for good; the key itself stays listed.
    await page.reload();
    await expect(row).toBeVisible();
    await expect(page.getByTestId("new-api-key-panel")).toHaveCount(0);
    expect(await page.content()).not.toContain(secretKey);
    const storage = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
    expect(storage).not.toContain(secretKey);
    await shoot(page, "02-api-keys");

    // The key works, within its narrowing.
    const keyClient = await playwright.request.newContext({
      baseURL,
      extraHTTPHeaders: { authorization: basicAuth(secretId, secretKey) },
    });
    expect((await keyClient.get("/api/v1/queues")).status()).toBe(200);
    const refused = await keyClient.post("/api/v1/queues", { data: { name: uniqueName("nope") } });
    expect(refused.status()).toBe(403);
    expect((await refused.json()).error.code).toBe("FORBIDDEN");

    // Disabled in the console, it is refused at once.
    await row.getByTestId("toggle-api-key").click();
    await expect(page.getByTestId("toggle-api-key-dialog")).toContainText("refused (401)");
    await page.getByTestId("toggle-api-key-dialog").getByTestId("confirm-button").click();
    await expect(row.getByTestId("api-key-status")).toHaveText("Disabled");
    const afterDisable = await keyClient.get("/api/v1/queues");
    expect(afterDisable.status()).toBe(401);
    expect((await afterDisable.json()).error.code).toBe("UNAUTHORIZED");

    // Deleting needs the SecretId typed.
    await row.getByTestId("delete-api-key").click();
    const confirm = page.getByTestId("delete-api-key-dialog");
    await expect(confirm.getByTestId("confirm-button")).toBeDisabled();
    await confirm.getByTestId("confirm-input").fill(secretId);
    await confirm.getByTestId("confirm-button").click();
    await expect(row).toHaveCount(0);
    expect((await keyClient.get("/api/v1/queues")).status()).toBe(401);
    await keyClient.dispose();

    // Enough events for a second page of the audit log: 50 attribute changes through the API.
    const queue = uniqueName("audited");
    expect((await api.post("/api/v1/queues", { data: { name: queue } })).status()).toBe(201);
    for (let i = 0; i < 50; i++) {
      expect((await api.patch(`/api/v1/queues/${queue}`, { data: { visibilityTimeout: 30 + i } })).status()).toBe(200);
    }

    await page.goto("/access/audit");
    await expect(page.getByTestId("audit-row")).toHaveCount(50);
    await page.getByTestId("audit-load-more").click();
    // login, key create/disable/delete, the key's refused create, the queue and its 50 updates
    await expect(page.getByTestId("audit-row")).toHaveCount(56);
    await expect(page.getByTestId("audit-shown")).toContainText("the end of the log");
    for (const action of ["apikey.create", "apikey.disable", "apikey.delete", "session.login"]) {
      await expect(page.locator(`[data-testid="audit-row"][data-action="${action}"]`)).toHaveCount(1);
    }
    const creates = page.locator('[data-testid="audit-row"][data-action="queue.create"]');
    await expect(creates.filter({ has: page.getByText("Denied", { exact: true }) })).toHaveCount(1);
    await expect(
      creates.filter({ has: page.getByText("Denied", { exact: true }) }).getByTestId("audit-actor"),
    ).toHaveText(secretId);
    await expect(creates.filter({ has: page.getByText("Success", { exact: true }) })).toHaveCount(1);
    const created = page.locator('[data-testid="audit-row"][data-action="apikey.create"]');
    await expect(created.getByTestId("audit-actor")).toHaveText(owner.email);
    await expect(created.getByTestId("audit-resource")).toHaveText(secretId);
    await expect(created).toContainText("Console");
    await expect(page.locator('[data-testid="audit-row"][data-action="queue.update"]').first()).toContainText("API");

    // Filters: a family of actions, then a resource.
    await page.getByTestId("audit-filter-action").selectOption("apikey.");
    await expect(page.getByTestId("audit-row")).toHaveCount(3);
    await shoot(page, "03-audit-log");
    await page.getByTestId("audit-filter-action").selectOption("");
    await page.getByTestId("audit-filter-resource").fill(queue);
    await expect(page.getByTestId("audit-row")).toHaveCount(50);
    await page.getByTestId("audit-load-more").click();
    await expect(page.getByTestId("audit-row")).toHaveCount(51);
    await expect(page.locator('[data-testid="audit-row"][data-action="queue.create"]')).toHaveCount(1);
    await page.getByTestId("audit-filter-resource").fill("no-such-thing");
    await expect(page.getByTestId("audit-empty")).toContainText("No events match these filters");
  });

  test("the account page changes the password, checking it first", async ({ page, owner }) => {
    await page.goto("/account");
    // (An ended session's cookie is dropped on the way, so the sign-in page may not name /account.)
    await expect(page).toHaveURL(/\/login(\?callbackUrl=%2Faccount)?$/);
    await signIn(page, owner);
    await expect(page).toHaveURL(/\/account$/);
    await expect(page.getByTestId("account-email")).toHaveText(owner.email);
    await expect(page.getByTestId("account-role")).toHaveText("Owner");

    const newPassword = `new-${uniqueName("pw")}`;
    await page.getByTestId("field-newPassword").fill("too-short");
    await page.getByTestId("field-confirmPassword").fill("too-shorT");
    await page.getByTestId("submit-password").click();
    await expect(page.getByTestId("currentPassword-error")).toHaveText("Enter your current password.");
    await expect(page.getByTestId("newPassword-error")).toHaveText("Use at least 10 characters.");
    await expect(page.getByTestId("confirmPassword-error")).toHaveText("The passwords do not match.");

    // A wrong current password is the server's answer, shown at its field.
    await page.getByTestId("field-currentPassword").fill(`${owner.password}-wrong`);
    await page.getByTestId("field-newPassword").fill(newPassword);
    await page.getByTestId("field-confirmPassword").fill(newPassword);
    await page.getByTestId("submit-password").click();
    await expect(page.getByTestId("currentPassword-error")).toHaveText("The current password is wrong.");
    await shoot(page, "01-account-wrong-password");

    await page.getByTestId("field-currentPassword").fill(owner.password);
    await page.getByTestId("submit-password").click();
    await expect(page.getByTestId("password-changed")).toBeVisible();
    await expect(page.getByTestId("field-currentPassword")).toHaveValue("");
    await shoot(page, "02-account");

    // The change ended every session, this one too (the page's next refresh may already have gone to
    // the sign-in page): the console asks to sign in, and the new password is the one that works.
    await page.goto("/account");
    // (An ended session's cookie is dropped on the way, so the sign-in page may not name /account.)
    await expect(page).toHaveURL(/\/login(\?callbackUrl=%2Faccount)?$/);
    await signIn(page, owner);
    await expect(page.getByTestId("login-error")).toHaveText("Wrong email or password");
    await page.getByLabel("Password").fill(newPassword);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/(account|queues)$/);
    await expect(page.getByTestId("sign-out")).toBeVisible();
  });
});
