import type { Page } from "@playwright/test";
import { expect, test, uniqueName } from "../fixtures";
import { signIn } from "./console";

// Filters follow the URL, and the URL arrives some time after the console asks for it (a navigation
// is a round trip to the server). Keys typed meanwhile must stay in the field. To make "meanwhile"
// certain rather than a matter of machine load, the server's answers to navigations (React Server
// Component requests) are held back here as on a slow link; everything else is untouched.

const navigationDelayMs = 600;

async function slowNavigations(page: Page) {
  await page.route("**/*", async (route) => {
    if (route.request().headers().rsc === "1") await new Promise((r) => setTimeout(r, navigationDelayMs));
    await route.fallback();
  });
}

test("message browser: keys typed while an applied filter reaches the URL stay in the fields", async ({
  page,
  owner,
  api,
}) => {
  const name = uniqueName("typing");
  expect((await api.post("/api/v1/queues", { data: { name } })).status()).toBe(201);
  const messages = [{ body: `${name}-alpha-1` }, { body: `${name}-alpha-2`, tags: ["eu"] }, { body: `${name}-beta` }];
  expect((await api.post(`/api/v1/queues/${name}/messages`, { data: { messages } })).status()).toBe(201);
  await page.goto(`/queues/${name}`);
  await signIn(page, owner);
  await expect(page.getByTestId("message-row")).toHaveCount(3, { timeout: 30_000 });
  await slowNavigations(page);

  const search = page.getByTestId("message-search");
  await search.click();
  await page.keyboard.type(`${name}-alpha`);
  await page.keyboard.press("Enter");
  // Straight on, while the URL is on its way: more of the search, then the tag field.
  await page.keyboard.type("-2");
  await page.keyboard.press("Tab");
  await page.keyboard.type("eu");
  await expect(page).toHaveURL(new RegExp(`/queues/${name}\\?search=${name}-alpha$`));
  await expect(page.getByTestId("message-row")).toHaveCount(2);
  await expect(search).toHaveValue(`${name}-alpha-2`);
  await expect(page.getByTestId("message-tag")).toHaveValue("eu");
  await expect(page.getByTestId("message-tag")).toBeFocused();

  // What was typed is what Enter applies.
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/queues/${name}\\?search=${name}-alpha-2&tag=eu$`));
  await expect(page.getByTestId("message-row")).toHaveCount(1);
  await expect(page.getByTestId("message-body-text")).toHaveText(`${name}-alpha-2`);

  // Back is a change of the URL the user did not type: the fields follow it.
  await page.goBack();
  await expect(page).toHaveURL(new RegExp(`/queues/${name}\\?search=${name}-alpha$`));
  await expect(search).toHaveValue(`${name}-alpha`);
  await expect(page.getByTestId("message-tag")).toHaveValue("");
  await expect(page.getByTestId("message-row")).toHaveCount(2);

  // A state tab keeps what is typed but not applied yet; Clear empties the fields and the URL.
  await search.click();
  await page.keyboard.press("End");
  await page.keyboard.type("-1");
  await page.getByTestId("state-filter-visible").click();
  await expect(page).toHaveURL(new RegExp(`/queues/${name}\\?state=visible&search=${name}-alpha$`));
  await expect(search).toHaveValue(`${name}-alpha-1`);
  await page.getByTestId("clear-filters").click();
  await expect(page).toHaveURL(new RegExp(`/queues/${name}\\?state=visible$`));
  await expect(search).toHaveValue("");
  await expect(page.getByTestId("message-row")).toHaveCount(3);
});

test("audit log: keys typed while the actor filter reaches the URL stay in the field", async ({ page, owner }) => {
  await page.goto("/login");
  await signIn(page, owner);
  await expect(page).toHaveURL(/\/queues$/, { timeout: 30_000 }); // signing in hashes a password: slow on a busy machine
  await page.goto("/access/audit");
  await expect(page.getByTestId("audit-row").first()).toBeVisible({ timeout: 30_000 });
  await slowNavigations(page);

  const actor = page.getByTestId("audit-filter-actor");
  const [local, domain] = owner.email.split("@") as [string, string];
  await actor.click();
  // Pauses past the field's 300 ms debounce start URL updates; typing goes on while they travel.
  await page.keyboard.type(local.slice(0, 6));
  await page.waitForTimeout(400);
  await page.keyboard.type(local.slice(6));
  await page.waitForTimeout(400);
  await page.keyboard.type(`@${domain}`);
  await expect(actor).toHaveValue(owner.email);
  await expect(page).toHaveURL(new RegExp(`\\?actor=${encodeURIComponent(owner.email).replace(/\./g, "\\.")}$`));
  await expect(actor).toHaveValue(owner.email);
  await expect(page.getByTestId("audit-row").first()).toContainText(owner.email);
});

test("users: keys typed while the search reaches the URL stay in the field", async ({ page, owner, api }) => {
  const tag = uniqueName("typist");
  const created = await api.post("/api/v1/users", {
    data: { email: `${tag}@e2e.test`, name: "Quick Typist", role: "developer" },
  });
  expect(created.status()).toBe(201);
  await page.goto("/login");
  await signIn(page, owner);
  await expect(page).toHaveURL(/\/queues$/, { timeout: 30_000 });
  await page.goto("/access/users");
  await expect(page.getByTestId("users-count")).toHaveText("2 users", { timeout: 30_000 });
  await slowNavigations(page);

  const search = page.getByTestId("user-search");
  await search.click();
  await page.keyboard.type(tag.slice(0, 8));
  await page.waitForTimeout(300);
  await page.keyboard.type(tag.slice(8));
  await page.waitForTimeout(300);
  await page.keyboard.type(" developer");
  await expect(search).toHaveValue(`${tag} developer`);
  await expect(page).toHaveURL(new RegExp(`\\?search=${tag}\\+developer$`));
  await expect(search).toHaveValue(`${tag} developer`);
  await expect(page.getByTestId("users-count")).toHaveText("1 of 2 users");
});
