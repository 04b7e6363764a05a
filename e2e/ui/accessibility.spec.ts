import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, test, uniqueName } from "../fixtures";
import { signIn } from "./console";

// Every console page passes axe-core's WCAG 2.1 A and AA rules, with no rule disabled. Each page is
// checked once it has loaded its data (and once empty where an empty state exists).

async function violationsOn(page: Page) {
  const { violations } = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  // One line per violation and node, so a failure says what to fix and where.
  return violations.flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(" ")} — ${v.help}`));
}

for (const colorScheme of ["light", "dark"] as const) {
  test.describe(`${colorScheme} theme`, () => {
    test.use({ colorScheme });

    test("sign-in and not-found pages", async ({ page }) => {
      await page.goto("/login");
      await expect(page.getByRole("heading", { name: "Sign in to the console" })).toBeVisible();
      expect(await violationsOn(page)).toEqual([]);
      await page.goto("/no-such-page");
      await expect(page.getByRole("heading", { name: "This page does not exist" })).toBeVisible();
      expect(await violationsOn(page)).toEqual([]);
    });

    test("every console page, empty and with data", async ({ page, owner, api }) => {
      test.setTimeout(180_000);
      await page.goto("/login");
      await signIn(page, owner);
      await expect(page.getByTestId("queues-empty")).toBeVisible();
      expect(await violationsOn(page)).toEqual([]);
      await page.goto("/topics");
      await expect(page.getByTestId("topics-empty")).toBeVisible();
      expect(await violationsOn(page)).toEqual([]);

      const name = uniqueName("a11y");
      expect((await api.post("/api/v1/queues", { data: { name } })).status()).toBe(201);
      const sent = await api.post(`/api/v1/queues/${name}/messages`, { data: { messages: [{ body: '{"a":1}' }] } });
      expect(sent.status()).toBe(201);
      const queueMessage = (await sent.json()).messages[0].id as string;
      // A routing topic with a queue subscription and one published message (its timeline).
      const topic = uniqueName("a11y-topic");
      expect((await api.post("/api/v1/topics", { data: { name: topic, filterType: "routing" } })).status()).toBe(201);
      const subscription = { name: "to-queue", protocol: "queue", endpoint: name, bindingKeys: ["order.#"] };
      expect((await api.post(`/api/v1/topics/${topic}/subscriptions`, { data: subscription })).status()).toBe(201);
      const published = await api.post(`/api/v1/topics/${topic}/messages`, {
        data: { messages: [{ body: '{"order":1}' }], routingKey: "order.eu" },
      });
      expect(published.status()).toBe(201);
      const topicMessage = (await published.json()).messages[0].id as string;
      const pages: [string, string][] = [
        ["/queues", "Queues"],
        ["/queues/new", "Create queue"],
        [`/queues/${name}`, name],
        [`/queues/${name}?tab=charts`, name],
        // A message with its JSON body as a tree.
        [`/queues/${name}/messages/${queueMessage}`, `Message ${queueMessage}`],
        ["/overview", "Overview"],
        ["/database", "Database health"],
        ["/alarms", "Alarms"],
        ["/topics", "Topics"],
        ["/topics/new", "Create topic"],
        [`/topics/${topic}`, topic],
        [`/topics/${topic}?tab=publish`, topic],
        [`/topics/${topic}?tab=messages&message=${topicMessage}`, topic],
        [`/topics/${topic}?tab=settings`, topic],
        [`/topics/${topic}/messages/${topicMessage}`, `Message ${topicMessage}`],
        ["/access/users", "Users"],
        ["/access/keys", "API keys"],
        ["/access/audit", "Audit log"],
        ["/account", "Your account"],
      ];
      for (const [path, heading] of pages) {
        await page.goto(path);
        await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
        await page.waitForLoadState("networkidle");
        expect(await violationsOn(page), path).toEqual([]);
      }
      // The routing tester with its answer on screen.
      await page.goto(`/topics/${topic}?tab=routing`);
      await page.getByTestId("route-test-key").fill("order.eu");
      // By keyboard: a pointer left on the button would have axe judge its hover colours.
      await page.getByTestId("route-test-key").press("Enter");
      await expect(page.getByTestId("route-test-row")).toHaveCount(1);
      expect(await violationsOn(page), "routing tester").toEqual([]);
    });
  });
}

test("the theme follows the system until the user picks one, and the choice persists", async ({ page, owner }) => {
  await page.emulateMedia({ colorScheme: "dark" });
  await page.goto("/login");
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
  await signIn(page, owner);
  await expect(page).toHaveURL(/\/queues$/);
  await page.getByTestId("theme-control").selectOption("light");
  await expect(page.locator("html")).toHaveAttribute("data-theme", "light");
  await page.reload();
  await expect(page.locator("html")).toHaveAttribute("data-theme", "light");
  await expect(page.getByTestId("theme-control")).toHaveValue("light");
  await page.getByTestId("theme-control").selectOption("system");
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
  await page.emulateMedia({ colorScheme: "light" });
  await expect(page.locator("html")).toHaveAttribute("data-theme", "light");
});
