import { startAppServer, stopAppServer } from "../app-server";
import { expect, test, uniqueName } from "../fixtures";
import { signIn } from "./console";

// The server goes away mid-session: pages keep what they last loaded and say the data may be stale,
// the live indicator turns from "live" to "reconnecting", and all of it recovers by itself.

test.describe.configure({ mode: "serial" }); // one server of its own, stopped and started again

const port = Number(process.env.E2E_PORT ?? 3100) + 90;
const base = `http://127.0.0.1:${port}`;
let app: Awaited<ReturnType<typeof startAppServer>> | undefined;

const start = async () => {
  app = await startAppServer(port, { env: { NEXTAUTH_URL: base } });
  await app.ready;
};
test.beforeAll(start);
test.afterAll(async () => {
  if (app) await stopAppServer(app.server);
});

test("a page keeps its data while the server is down, says so, and recovers", async ({ page, owner, api }) => {
  const name = uniqueName("offline");
  expect((await api.post("/api/v1/queues", { data: { name } })).status()).toBe(201);
  await page.goto(`${base}/login`);
  await signIn(page, owner);
  await expect(page).toHaveURL(`${base}/queues`);
  await page.locator("#polling-interval").selectOption("2000");
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-live", "live");
  await expect(page.getByTestId("queue-row")).toHaveCount(1);
  await expect(page.getByTestId("connection-notice")).toHaveCount(0);

  if (app) await stopAppServer(app.server);
  // The next refreshes fail (with their retries): the page says so and keeps its rows.
  await expect(page.getByTestId("connection-notice")).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-live", "reconnecting");
  await expect(page.getByTestId("queue-row")).toHaveText([new RegExp(name)]);

  await start();
  await expect(page.getByTestId("connection-notice")).toHaveCount(0, { timeout: 20_000 });
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-live", "live");
  await expect(page.getByTestId("queue-row")).toHaveText([new RegExp(name)]);
});

test("the queue page keeps its counts and tabs while the server is down, and recovers", async ({
  page,
  owner,
  api,
}) => {
  const name = uniqueName("offline-page");
  expect((await api.post("/api/v1/queues", { data: { name } })).status()).toBe(201);
  expect((await api.post(`/api/v1/queues/${name}/messages`, { data: { messages: [{ body: "kept" }] } })).status()).toBe(
    201,
  );
  await page.goto(`${base}/login`);
  await signIn(page, owner);
  await expect(page).toHaveURL(`${base}/queues`, { timeout: 30_000 });
  await page.goto(`${base}/queues/${name}`);
  await page.locator("#polling-interval").selectOption("2000");
  await expect(page.getByTestId("count-visible")).toContainText("1");
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-live", "live");

  if (app) await stopAppServer(app.server);
  await expect(page.getByTestId("connection-notice")).toBeVisible({ timeout: 20_000 });
  // Past the failed refresh and its retries: still the queue, not "Could not load the queue".
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-live", "reconnecting");
  await page.waitForTimeout(4_000);
  await expect(page.getByText("Could not load the queue")).toHaveCount(0);
  await expect(page.getByTestId("count-visible")).toContainText("1");
  await expect(page.getByRole("heading", { name })).toBeVisible();
  await expect(page.getByRole("tab", { name: "Messages" })).toBeVisible();

  await start();
  await expect(page.getByTestId("connection-notice")).toHaveCount(0, { timeout: 20_000 });
  await expect(page.getByTestId("count-visible")).toContainText("1");
});

test("a page that does not refresh shows no live indicator; a paused one shows paused", async ({ page, owner }) => {
  await page.goto(`${base}/login`);
  await signIn(page, owner);
  await expect(page).toHaveURL(`${base}/queues`);
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-live", "live");
  await page.getByTestId("polling-toggle").click();
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-live", "paused");
  await page.getByTestId("polling-toggle").click();
  await page.goto(`${base}/account`);
  await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();
  await expect(page.getByTestId("live-indicator")).toHaveCount(0);
});
