import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, test, uniqueName } from "../fixtures";
import { shoot, signIn } from "./console";

// An alarm created in the console fires on a real backlog and resolves when it drains (issue 12
// acceptance). The e2e app evaluates rules every second (OPENCMQ_ALARM_INTERVAL_MS=1000 in
// e2e/global-setup.ts); counts reach the kept figures with the 5 s metrics flush. Each step waits for
// the state the page shows and checks its data (the value, the history's transitions), so nothing
// passes by a timer alone.

const signInTimeout = { timeout: 30_000 };

/** axe-core's WCAG 2.1 A/AA findings, one line each (as e2e/ui/accessibility.spec.ts). */
async function violationsOn(page: Page) {
  const { violations } = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  return violations.flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(" ")} — ${v.help}`));
}
const evaluation = { timeout: 45_000 };

test("create a backlog rule in the console, see it fire (banner + history), drain the queue, see it resolve", async ({
  page,
  owner,
  api,
}) => {
  test.setTimeout(180_000);
  const queue = uniqueName("alarmq");
  const ruleName = uniqueName("backlog");
  expect((await api.post("/api/v1/queues", { data: { name: queue } })).status()).toBe(201);

  await page.goto("/login");
  await signIn(page, owner);
  await expect(page).toHaveURL(/\/queues$/, signInTimeout);
  await page.getByTestId("console-nav").getByRole("link", { name: "Alarms" }).first().click();
  await expect(page).toHaveURL(/\/alarms$/);
  await expect(page.getByTestId("alarms-empty")).toBeVisible();

  // Create: visible backlog of the queue > 3, at once (for 0 s).
  await page.getByTestId("new-alarm").click();
  const dialog = page.getByTestId("alarm-dialog");
  await dialog.getByTestId("alarm-field-name").fill(ruleName);
  await dialog.getByTestId("alarm-field-kind").selectOption("backlogVisible");
  await dialog.getByTestId("alarm-field-queue").fill(queue);
  await dialog.getByTestId("alarm-field-threshold").fill("3");
  expect(await violationsOn(page)).toEqual([]);
  await dialog.getByTestId("alarm-field-forSeconds").fill("x");
  await dialog.getByTestId("alarm-save").click();
  await expect(dialog.getByTestId("alarm-for-error")).toHaveText("Enter a number.");
  await dialog.getByTestId("alarm-field-forSeconds").fill("0");
  await dialog.getByTestId("alarm-save").click();
  await expect(page.getByTestId("alarm-notice")).toHaveText(`Alarm rule ${ruleName} created.`);
  const row = page.getByTestId(`alarm-rule-${ruleName}`);
  await expect(row).toContainText(`queue ${queue}`);
  await expect(row).toContainText("> 3 messages");
  await expect(row.getByTestId("alarm-state")).toHaveText("OK");
  await expect(page.getByTestId("alarm-banner")).toHaveCount(0);

  // Make the backlog: 5 visible messages.
  const messages = Array.from({ length: 5 }, (_, i) => ({ body: `m${i}` }));
  expect((await api.post(`/api/v1/queues/${queue}/messages`, { data: { messages } })).status()).toBe(201);
  await expect(row.getByTestId("alarm-state")).toHaveText("Firing", evaluation);
  await expect(row.getByTestId("alarm-last-value")).toHaveText("5");
  const banner = page.getByTestId("alarm-banner");
  await expect(banner).toContainText(`1 alarm is firing: ${ruleName}`);
  const fired = page.getByTestId("alarm-event").filter({ hasText: ruleName });
  await expect(fired).toHaveCount(1);
  await expect(fired.first()).toHaveAttribute("data-transition", "ok-firing");
  await expect(fired.first().getByTestId("alarm-event-message")).toHaveText(
    `Firing: visible messages 5 > 3 on ${queue}`,
  );
  await shoot(page, "alarms-firing");
  // The firing state (banner, red badge, history) in both themes passes axe as every page does.
  expect(await violationsOn(page)).toEqual([]);
  await page.emulateMedia({ colorScheme: "dark" });
  await page.evaluate(() => {
    document.documentElement.dataset.theme = "dark";
  });
  expect(await violationsOn(page)).toEqual([]);

  // The banner is on every console page, and links here.
  await page.goto("/queues");
  await expect(page.getByTestId("alarm-banner")).toContainText(ruleName, evaluation);
  await page.getByTestId("alarm-banner").getByRole("link", { name: "See alarms" }).click();
  await expect(page).toHaveURL(/\/alarms$/);

  // Drain: receive and delete all five.
  const received = await api.post(`/api/v1/queues/${queue}/messages/receive`, { data: { max: 16, waitSeconds: 0 } });
  const handles = ((await received.json()).messages as { receiptHandle: string }[]).map((m) => m.receiptHandle);
  expect(handles).toHaveLength(5);
  const deleted = await api.post(`/api/v1/queues/${queue}/messages/delete`, { data: { receiptHandles: handles } });
  expect((await deleted.json()).deleted).toBe(5);
  await expect(row.getByTestId("alarm-state")).toHaveText("OK", evaluation);
  await expect(row.getByTestId("alarm-last-value")).toHaveText("0");
  await expect(page.getByTestId("alarm-banner")).toHaveCount(0);
  const transitions = page.getByTestId("alarm-event").filter({ hasText: ruleName });
  await expect(transitions).toHaveCount(2);
  await expect(transitions.first()).toHaveAttribute("data-transition", "firing-ok");
  await expect(transitions.first().getByTestId("alarm-event-message")).toHaveText(
    `Resolved: visible messages 0 ≤ 3 on ${queue}`,
  );

  // History filters live in the URL.
  await page.getByTestId("history-state").selectOption("firing");
  await expect(page).toHaveURL(/state=firing/);
  await expect(page.getByTestId("alarm-event")).toHaveCount(1);
  await expect(page.getByTestId("alarm-event").first()).toHaveAttribute("data-transition", "ok-firing");

  // Edit, then delete with confirmation.
  await page.getByRole("button", { name: `Edit ${ruleName}` }).click();
  await page.getByTestId("alarm-dialog").getByTestId("alarm-field-threshold").fill("10");
  await page.getByTestId("alarm-dialog").getByTestId("alarm-save").click();
  await expect(row).toContainText("> 10 messages");
  await page.getByRole("button", { name: `Delete ${ruleName}` }).click();
  await page.getByTestId("delete-alarm-dialog").getByRole("button", { name: "Delete rule" }).click();
  await expect(page.getByTestId("alarm-notice")).toHaveText(`Alarm rule ${ruleName} deleted.`);
  await expect(row).toHaveCount(0);
  const rules = await (await api.get("/api/v1/alarms")).json();
  expect(rules).toEqual({ rules: [], firing: 0 });
});
