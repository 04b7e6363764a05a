import { expect, test, uniqueName } from "../fixtures";
import { signIn } from "./console";

// Filters live in the query string: a filtered view survives a reload, can be shared as a link, and
// comes back with Back.

test("the queue search is in the URL: reload, deep link and Back keep it", async ({ page, owner, api }) => {
  const prefix = uniqueName("urlq");
  for (const suffix of ["alpha", "beta"]) {
    expect((await api.post("/api/v1/queues", { data: { name: `${prefix}-${suffix}` } })).status()).toBe(201);
  }
  await page.goto("/login");
  await signIn(page, owner);
  await expect(page.getByTestId("queue-row")).toHaveCount(2);

  await page.getByTestId("queue-search").fill(`${prefix}-al`);
  await expect(page).toHaveURL(new RegExp(`/queues\\?search=${prefix}-al$`));
  await expect(page.getByTestId("queue-row")).toHaveCount(1);

  await page.reload();
  await expect(page.getByTestId("queue-search")).toHaveValue(`${prefix}-al`);
  await expect(page.getByTestId("queue-row")).toHaveCount(1);

  await page.getByRole("link", { name: `${prefix}-alpha` }).click();
  await expect(page).toHaveURL(new RegExp(`/queues/${prefix}-alpha$`));
  await page.goBack();
  await expect(page.getByTestId("queue-search")).toHaveValue(`${prefix}-al`);
  await expect(page.getByTestId("queue-row")).toHaveCount(1);

  // A link someone shared opens the same view.
  await page.goto(`/queues?search=${prefix}-be`);
  await expect(page.getByTestId("queue-search")).toHaveValue(`${prefix}-be`);
  await expect(page.getByTestId("queue-row")).toHaveText([new RegExp(`${prefix}-beta`)]);
  await page.getByTestId("queue-search").fill("");
  await expect(page).toHaveURL(/\/queues$/);
  await expect(page.getByTestId("queue-row")).toHaveCount(2);
});

test("the audit filters are in the URL", async ({ page, owner }) => {
  await page.goto("/login");
  await signIn(page, owner);
  await expect(page).toHaveURL(/\/queues$/);
  await page.goto("/access/audit");
  await page.getByTestId("audit-filter-outcome").selectOption("success");
  await page.getByTestId("audit-filter-actor").fill(owner.email);
  await expect(page).toHaveURL(/outcome=success/);
  await expect(page).toHaveURL(new RegExp(`actor=${encodeURIComponent(owner.email).replace(/\./g, "\\.")}`));
  await page.reload();
  await expect(page.getByTestId("audit-filter-outcome")).toHaveValue("success");
  await expect(page.getByTestId("audit-filter-actor")).toHaveValue(owner.email);
  // The owner's own sign-in is there, under this filter.
  await expect(page.getByTestId("audit-row").first()).toContainText("session.login");
});

test("the users page searches by email, name or role, in the URL", async ({ page, owner, api }) => {
  const tag = uniqueName("findme");
  for (const role of ["developer", "readonly"] as const) {
    const created = await api.post("/api/v1/users", {
      data: { email: `${tag}-${role}@e2e.test`, name: `Person ${role}`, role },
    });
    expect(created.status()).toBe(201);
  }
  await page.goto("/login");
  await signIn(page, owner);
  await expect(page).toHaveURL(/\/queues$/);
  await page.goto("/access/users");
  await expect(page.getByTestId("users-count")).toHaveText("3 users");
  await page.getByTestId("user-search").fill(`${tag} readonly`);
  await expect(page).toHaveURL(new RegExp(`\\?search=${tag}\\+readonly$`));
  await expect(page.getByTestId("users-count")).toHaveText("1 of 3 users");
  await expect(page.getByText(`${tag}-readonly@e2e.test`)).toBeVisible();
  await page.reload();
  await expect(page.getByTestId("user-search")).toHaveValue(`${tag} readonly`);
  await expect(page.getByTestId("users-count")).toHaveText("1 of 3 users");
  await page.getByTestId("user-search").fill("no such person");
  await expect(page.getByTestId("users-no-match")).toBeVisible();
});
