import { expect, test, uniqueName } from "../fixtures";
import { signIn } from "./console";

// The audit log names who acted in words a person recognises: an API call appears under the key's
// owner and description (the SecretId beside it), and identifiers are never broken mid-word.

test("API calls are listed under the key's owner, emails on one line", async ({ page, owner, api }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  const name = uniqueName("audited");
  expect((await api.post("/api/v1/queues", { data: { name } })).status()).toBe(201);

  await page.goto("/login");
  await signIn(page, owner);
  await expect(page).toHaveURL(/\/queues$/);
  await page.goto(`/access/audit?resource=${name}`);
  const row = page.locator('[data-testid="audit-row"][data-action="queue.create"]');
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId("audit-actor")).toHaveText(owner.email);
  await expect(row.getByTestId("audit-actor-key")).toContainText(owner.secretId);

  // One line box: the email was not wrapped inside a word.
  const lines = await row.getByTestId("audit-actor").evaluate((el) => el.getClientRects().length);
  expect(lines).toBe(1);
  await page.goto("/access/users");
  const email = page.getByText(owner.email, { exact: true }).first();
  await expect(email).toBeVisible();
  expect(await email.evaluate((el) => Math.round(el.getBoundingClientRect().height))).toBeLessThan(30);
});
