import type { Browser } from "@playwright/test";
import pg from "pg";
import { insertApiKey } from "@/lib/auth/key-credentials";
import { basicAuth, expect, type Owner, test, uniqueName } from "../fixtures";
import { shoot, signIn } from "./console";

// Signing in hashes a password (scrypt) and a cold server loads its routes: slow on a busy machine.
const signInTimeout = { timeout: 30_000 };

// The database health page against the e2e server's own PostgreSQL: a table with known dead rows
// and a session holding a transaction open show up with their figures; the API answers the same;
// a user without monitor:database gets neither the page nor the endpoint.

const clients: pg.Client[] = [];
test.afterAll(async () => {
  for (const client of clients) await client.end().catch(() => {});
});

async function session(applicationName: string) {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL, application_name: applicationName });
  await client.connect();
  clients.push(client);
  return client;
}

async function signedInPage(browser: Browser, baseURL: string, who: Pick<Owner, "email" | "password">) {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await page.goto("/login");
  await signIn(page, who);
  await expect(page).toHaveURL(/\/queues$/, signInTimeout);
  return page;
}

test("the page shows a table's dead rows and the session that holds vacuum back", async ({ page, owner, api }) => {
  test.setTimeout(120_000);
  await page.goto("/login");
  await signIn(page, owner);
  await expect(page).toHaveURL(/\/queues$/, signInTimeout);
  const table = uniqueName("e2e_health").replaceAll("-", "_");
  const writer = await session("e2e-health-writer");
  await writer.query(`CREATE TABLE ${table} (id int PRIMARY KEY) WITH (autovacuum_enabled = false)`);
  await writer.query(`INSERT INTO ${table} SELECT generate_series(1, 1000)`);
  await writer.query(`DELETE FROM ${table} WHERE id <= 400`);
  await writer.query("SELECT pg_stat_force_next_flush()");
  await writer.query("SELECT 1");

  const holderName = uniqueName("e2e-holder");
  const holder = await session(holderName);
  await holder.query("BEGIN ISOLATION LEVEL REPEATABLE READ");
  await holder.query("SELECT 1");
  const pid = String((await holder.query("SELECT pg_backend_pid() AS pid")).rows[0].pid);
  for (let i = 0; i < 5; i++) await writer.query("SELECT txid_current()");

  await page.getByTestId("console-nav").getByRole("link", { name: "Database", exact: true }).click();
  await expect(page).toHaveURL(/\/database$/);
  await expect(page.getByRole("heading", { level: 1, name: "Database health" })).toBeVisible();

  // The statistics reach the shared views within a second or so of the writer's flush: wait for the
  // API to see them, then the page must show the same.
  await expect
    .poll(async () => {
      const health = await (await api.get("/api/v1/database/health")).json();
      return health.tables?.find((t: { name: string }) => t.name === table)?.deadRows;
    })
    .toBe(400);
  await page.reload();
  const row = page.locator(`[data-testid="table-row"][data-table="${table}"]`);
  await expect(row.getByTestId("dead-rows")).toHaveText("400 (40 %)");
  await expect(row.getByTestId("live-rows")).toHaveText("600");
  await expect(row).toContainText("never");
  for (const name of ["message", "queue", "audit_event"]) {
    await expect(page.locator(`[data-testid="table-row"][data-table="${name}"]`)).toBeVisible();
  }
  // The 15 largest indexes first; all of them on demand.
  await expect(page.getByTestId("index-row")).toHaveCount(15);
  await page.getByTestId("toggle-indexes").click();
  await expect(page.locator(`[data-testid="index-row"][data-index="${table}_pkey"]`)).toContainText(table);

  // The open transaction is listed, named by its application (oldest first: on a server shared with
  // other journeys something older may be open too, so it is found by its pid).
  const holderRow = page.locator(`[data-testid="horizon-row"][data-id="${pid}"]`);
  await expect(holderRow).toHaveAttribute("data-kind", "transaction");
  await expect(holderRow).toContainText(holderName);
  await expect(holderRow).toContainText("idle in transaction");
  await expect(page.getByTestId("tile-connections")).toContainText("/");
  await shoot(page, "database-health");

  // The API answers the same figures.
  const answer = await api.get("/api/v1/database/health");
  expect(answer.status()).toBe(200);
  const health = await answer.json();
  expect(health.tables.find((t: { name: string }) => t.name === table)).toMatchObject({
    liveRows: 600,
    deadRows: 400,
    deadRatio: 0.4,
  });
  const held = health.horizonHolders.find((h: { id: string }) => h.id === pid);
  expect(held).toMatchObject({ kind: "transaction", label: holderName, state: "idle in transaction" });
  expect(held.xminAge).toBeGreaterThanOrEqual(5);

  // Once the transaction ends, it is gone from the page.
  await holder.query("COMMIT");
  await page.reload();
  await expect(page.getByTestId("tables")).toBeVisible();
  await expect(page.locator(`[data-testid="horizon-row"][data-id="${pid}"]`)).toHaveCount(0);
  await writer.query(`DROP TABLE ${table}`);
});

test("without monitor:database: no nav link, no page, 403 from the API; other methods 405", async ({
  owner,
  api,
  browser,
  baseURL,
  playwright,
}) => {
  const created = await api.post("/api/v1/users", {
    data: { email: `${uniqueName("dev")}@e2e.test`, name: "Dev", role: "developer" },
  });
  expect(created.status()).toBe(201);
  const developer = await created.json();

  const page = await signedInPage(browser, String(baseURL), { email: developer.email, password: developer.password });
  await expect(page.getByTestId("console-nav").getByRole("link", { name: "Queues", exact: true })).toBeVisible();
  await expect(page.getByTestId("console-nav").getByRole("link", { name: "Database", exact: true })).toHaveCount(0);
  await page.goto("/database");
  await expect(page.getByTestId("no-access")).toContainText("does not include monitor:database");
  await expect(page.getByTestId("health-tiles")).toHaveCount(0);

  const key = await insertApiKey({ accountId: owner.accountId, userId: developer.id });
  const developerApi = await playwright.request.newContext({
    baseURL,
    extraHTTPHeaders: { authorization: basicAuth(key.secretId, key.secretKey) },
  });
  const refused = await developerApi.get("/api/v1/database/health");
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error.code).toBe("FORBIDDEN");
  await developerApi.dispose();

  const post = await api.post("/api/v1/database/health", { data: {} });
  expect(post.status()).toBe(405);
  expect(post.headers().allow).toBe("GET");
  expect((await post.json()).error.code).toBe("METHOD_NOT_ALLOWED");
  // No credentials: 401 in the REST format.
  const anonymous = await playwright.request.newContext({ baseURL });
  const unauthenticated = await anonymous.get("/api/v1/database/health");
  expect(unauthenticated.status()).toBe(401);
  expect((await unauthenticated.json()).error.code).toBe("UNAUTHORIZED");
  await anonymous.dispose();
});
