import type { Page } from "@playwright/test";
import { expect, test, uniqueName } from "../fixtures";
import { signIn } from "./console";

// Signing in hashes a password (scrypt) and a cold server loads its routes: slow on a busy machine.
const signInTimeout = { timeout: 30_000 };

// The queue list's columns (issues 12 and 15): widths that stay put when a search changes the rows,
// headers that sort by keyboard with the order in aria-sort and the URL, and the rate columns.

const headerWidths = (page: Page) =>
  page
    .getByTestId("queue-table")
    .locator("thead th")
    .evaluateAll((cells) => cells.map((cell) => Math.round(cell.getBoundingClientRect().width * 10) / 10));

const rowNames = (page: Page) =>
  page.getByTestId("queue-row").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-queue")));

test("column widths do not move when a search narrows the list", async ({ page, owner, api }) => {
  const prefix = uniqueName("cols");
  const long = `${prefix}-${"x".repeat(60 - prefix.length - 1)}`;
  for (const name of [`${prefix}-a`, long, `${prefix}-b`])
    expect((await api.post("/api/v1/queues", { data: { name } })).status()).toBe(201);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto("/login");
  await signIn(page, owner);
  await expect(page.getByTestId("queue-row")).toHaveCount(3);
  const before = await headerWidths(page);
  expect(before).toHaveLength(9);

  await page.getByTestId("queue-search").fill(`${prefix}-a`);
  await expect(page.getByTestId("queue-row")).toHaveCount(1);
  expect(await headerWidths(page)).toEqual(before);
  await page.getByTestId("queue-search").fill("xxxxxxxx");
  await expect(page.getByTestId("queue-row")).toHaveCount(1);
  expect(await headerWidths(page)).toEqual(before);
  // The long name is cut with an ellipsis inside its cell, its full text in the title.
  const link = page.getByRole("link", { name: long });
  await expect(link).toHaveAttribute("title", long);
});

test("without a sort in the URL the list is newest first, and says so in aria-sort", async ({ page, owner, api }) => {
  expect((await api.post("/api/v1/queues", { data: { name: uniqueName("order") } })).status()).toBe(201);
  await page.goto("/login");
  await signIn(page, owner);
  await expect(page).toHaveURL(/\/queues$/, signInTimeout);
  await expect(page.getByTestId("queue-row")).toHaveCount(1);
  const headers = page.getByTestId("queue-table").locator("thead th");
  await expect(headers.filter({ hasText: "Created" })).toHaveAttribute("aria-sort", "descending");
  await expect(page.locator("thead th[aria-sort]")).toHaveCount(1);
});

test("headers sort by keyboard, the order in aria-sort and the URL; rates are columns", async ({
  page,
  owner,
  api,
}) => {
  // Sorting is the server's (h/metrics adds ?sort=&order= to GET /api/v1/queues).
  const probe = await api.get("/api/v1/queues", { params: { sort: "name" } });
  test.fixme(probe.status() === 400, "GET /api/v1/queues?sort= is not on this build yet (h/metrics not merged)");
  const prefix = uniqueName("sort");
  const [a, b, c] = [`${prefix}-a`, `${prefix}-b`, `${prefix}-c`];
  for (const name of [b, a, c]) expect((await api.post("/api/v1/queues", { data: { name } })).status()).toBe(201);
  const messages = (n: number) => ({ messages: Array.from({ length: n }, (_, i) => ({ body: `m${i}` })) });
  expect((await api.post(`/api/v1/queues/${c}/messages`, { data: messages(9) })).status()).toBe(201);
  expect((await api.post(`/api/v1/queues/${a}/messages`, { data: messages(3) })).status()).toBe(201);

  await page.goto("/login");
  await signIn(page, owner);
  await expect(page.getByTestId("queue-row")).toHaveCount(3);
  expect(await rowNames(page)).toEqual([c, a, b]); // newest first

  const nameHeader = page.locator("thead th").filter({ hasText: "Name" });
  await page.getByTestId("sort-name").focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/queues\?sort=name&order=asc$/);
  await expect(nameHeader).toHaveAttribute("aria-sort", "ascending");
  await expect.poll(() => rowNames(page)).toEqual([a, b, c]);
  await page.keyboard.press("Space");
  await expect(page).toHaveURL(/\/queues\?sort=name&order=desc$/);
  await expect(nameHeader).toHaveAttribute("aria-sort", "descending");
  await expect.poll(() => rowNames(page)).toEqual([c, b, a]);

  // Backlog, biggest first; the order survives a reload.
  await page.getByTestId("sort-backlog").press("Enter");
  await expect(page).toHaveURL(/\/queues\?sort=backlog&order=desc$/);
  await expect.poll(() => rowNames(page)).toEqual([c, a, b]);
  await expect(page.locator(`[data-testid="queue-row"][data-queue="${c}"]`).getByTestId("backlog")).toHaveText("9");
  await page.reload();
  await expect(page.locator("thead th").filter({ hasText: "Backlog" })).toHaveAttribute("aria-sort", "descending");
  await expect.poll(() => rowNames(page)).toEqual([c, a, b]);

  // In/s: the last 5 minutes' send rate, from the queue's `rates`.
  const inRate = (name: string) =>
    page.locator(`[data-testid="queue-row"][data-queue="${name}"]`).getByTestId("rate-in");
  await expect(inRate(c)).toHaveText(/^[\d.]+\/s$/, { timeout: 30_000 });
  await page.getByTestId("sort-sendRate").press("Enter");
  await expect(page).toHaveURL(/\/queues\?sort=sendRate&order=desc$/);
  await expect.poll(() => rowNames(page), { timeout: 30_000 }).toEqual([c, a, b]);
  await expect(inRate(b)).toHaveText("0/s");
});
