import { expect, test, uniqueName } from "../fixtures";
import { shoot, signIn } from "./console";

// A picture book of the console for review: every page at 1440 and 390 px, light and dark, with data
// (test-results/…/screenshots-*/). The page must show its heading and nothing wider than the window.

const widths = [1440, 390] as const;

for (const colorScheme of ["light", "dark"] as const) {
  test(`every page at ${widths.join(" and ")} px, ${colorScheme}`, async ({ page, owner, api }) => {
    test.setTimeout(120_000);
    await page.emulateMedia({ colorScheme });
    const name = uniqueName("shots");
    expect((await api.post("/api/v1/queues", { data: { name, rewindSeconds: 3600 } })).status()).toBe(201);
    const messages = [{ body: '{"order":42,"items":[1,2,3]}', tags: ["eu"] }, { body: "plain text" }];
    expect((await api.post(`/api/v1/queues/${name}/messages`, { data: { messages } })).status()).toBe(201);
    const topic = uniqueName("shots-topic");
    expect((await api.post("/api/v1/topics", { data: { name: topic, filterType: "routing" } })).status()).toBe(201);
    const subscription = { name: "to-queue", protocol: "queue", endpoint: name, bindingKeys: ["order.*.paid"] };
    expect((await api.post(`/api/v1/topics/${topic}/subscriptions`, { data: subscription })).status()).toBe(201);
    const published = await api.post(`/api/v1/topics/${topic}/messages`, {
      data: { messages: [{ body: '{"order":42,"paid":true}' }], routingKey: "order.eu.paid" },
    });
    expect(published.status()).toBe(201);
    const topicMessage = (await published.json()).messages[0].id as string;
    await page.goto("/login");
    await signIn(page, owner);
    await expect(page).toHaveURL(/\/queues$/);
    const pages: [string, string, string][] = [
      ["queues", "/queues", "Queues"],
      ["queue-new", "/queues/new", "Create queue"],
      ["queue", `/queues/${name}`, name],
      ["queue-settings", `/queues/${name}?tab=settings`, name],
      ["queue-rewind", `/queues/${name}?tab=rewind`, name],
      ["queue-charts", `/queues/${name}?tab=charts`, name],
      ["overview", "/overview", "Overview"],
      ["database", "/database", "Database health"],
      ["alarms", "/alarms", "Alarms"],
      ["topics", "/topics", "Topics"],
      ["topic-new", "/topics/new", "Create topic"],
      ["topic", `/topics/${topic}`, topic],
      ["topic-publish", `/topics/${topic}?tab=publish`, topic],
      ["topic-routing", `/topics/${topic}?tab=routing`, topic],
      ["topic-messages", `/topics/${topic}?tab=messages`, topic],
      ["topic-timeline", `/topics/${topic}/messages/${topicMessage}`, `Message ${topicMessage}`],
      ["topic-settings", `/topics/${topic}?tab=settings`, topic],
      ["users", "/access/users", "Users"],
      ["keys", "/access/keys", "API keys"],
      ["audit", "/access/audit", "Audit log"],
      ["account", "/account", "Your account"],
    ];
    for (const width of widths) {
      await page.setViewportSize({ width, height: 900 });
      for (const [label, path, heading] of pages) {
        await page.goto(path);
        await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
        await page.waitForLoadState("networkidle");
        // A list still loading shows skeleton rows: photograph the data, not the placeholder.
        await expect(page.locator(".skeleton")).toHaveCount(0);
        await shoot(page, `${colorScheme}-${width}-${label}`);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `${path} at ${width} px`).toBeLessThanOrEqual(0);
      }
    }
  });
}
