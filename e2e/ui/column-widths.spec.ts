import type { Locator } from "@playwright/test";
import { basicAuth, expect, test, uniqueName } from "../fixtures";
import { signIn } from "./console";

// Filtering a table changes its rows, never its columns: the audit log and users tables lay out
// their columns from the header (fixed widths), not from whichever rows happen to be shown.

/** The header cells' widths, in px to a tenth. */
const headerWidths = (table: Locator) =>
  table
    .locator("thead th")
    .evaluateAll((cells) => cells.map((cell) => Math.round(cell.getBoundingClientRect().width * 10) / 10));

/** How far the table sticks out of its scroll box (0 when it fits). */
const overflowOf = (table: Locator) =>
  table.evaluate((el) => (el.parentElement ? el.parentElement.scrollWidth - el.parentElement.clientWidth : 0));

for (const width of [1440, 1024]) {
  test(`audit log at ${width} px: the columns keep their widths when a filter narrows the rows`, async ({
    page,
    owner,
    api,
    playwright,
    baseURL,
  }) => {
    await page.setViewportSize({ width, height: 900 });
    // Rows with long content: a long queue name created through an API key with a long description.
    const key = await api.post("/api/v1/keys", {
      data: { description: "nightly reconciliation job for the billing ledger export" },
    });
    expect(key.status()).toBe(201);
    const { secretId, secretKey } = await key.json();
    const job = await playwright.request.newContext({
      baseURL,
      extraHTTPHeaders: { authorization: basicAuth(secretId, secretKey) },
    });
    const longName = `${uniqueName("a-queue-with-a-rather-long-name")}-x`.slice(0, 64);
    expect((await job.post("/api/v1/queues", { data: { name: longName } })).status()).toBe(201);
    await job.dispose();

    await page.goto("/login");
    await signIn(page, owner);
    await expect(page).toHaveURL(/\/queues$/, { timeout: 30_000 }); // signing in hashes a password: slow on a busy machine
    await page.goto("/access/audit");
    const table = page.getByTestId("audit-table");
    await expect(table.locator('[data-testid="audit-row"][data-action="queue.create"]')).toHaveCount(1);
    const before = await headerWidths(table);
    expect(before).toHaveLength(7);

    await page.getByTestId("audit-filter-action").selectOption("session.login");
    await expect(page).toHaveURL(/\?action=session\.login$/);
    await expect(table.getByTestId("audit-row")).toHaveCount(1);
    await expect(table.getByTestId("audit-row")).toHaveAttribute("data-action", "session.login");
    expect(await headerWidths(table)).toEqual(before);

    await page.getByTestId("audit-filter-action").selectOption("");
    await expect(table.locator('[data-testid="audit-row"][data-action="queue.create"]')).toHaveCount(1);
    expect(await headerWidths(table)).toEqual(before);
    // Wide screens show the whole table; narrower ones scroll it inside its card, never the page.
    if (width >= 1440) expect(await overflowOf(table)).toBeLessThanOrEqual(0);
    else expect(await overflowOf(table)).toBeGreaterThan(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  });

  test(`users at ${width} px: the columns keep their widths when the search narrows the rows`, async ({
    page,
    owner,
    api,
  }) => {
    await page.setViewportSize({ width, height: 900 });
    const long = `${uniqueName("someone-with-a-long-address")}@a-long-subdomain.e2e.test`;
    const created = await api.post("/api/v1/users", {
      data: { email: long, name: "Maximiliane Katharina von Schwarzenberg-Lichtenstein", role: "readonly" },
    });
    expect(created.status()).toBe(201);

    await page.goto("/login");
    await signIn(page, owner);
    await expect(page).toHaveURL(/\/queues$/, { timeout: 30_000 });
    await page.goto("/access/users");
    const table = page.getByTestId("user-table");
    await expect(table.getByTestId("user-row")).toHaveCount(2);
    const before = await headerWidths(table);
    expect(before).toHaveLength(7);

    await page.getByTestId("user-search").fill(owner.email);
    await expect(page.getByTestId("users-count")).toHaveText("1 of 2 users");
    await expect(table.getByTestId("user-row")).toHaveAttribute("data-email", owner.email);
    expect(await headerWidths(table)).toEqual(before);

    await page.getByTestId("user-search").fill("");
    await expect(table.getByTestId("user-row")).toHaveCount(2);
    expect(await headerWidths(table)).toEqual(before);
    if (width >= 1440) expect(await overflowOf(table)).toBeLessThanOrEqual(0);
    else expect(await overflowOf(table)).toBeGreaterThan(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  });
}
