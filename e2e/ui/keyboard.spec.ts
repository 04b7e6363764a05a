import type { Locator, Page } from "@playwright/test";
import { expect, test, uniqueName } from "../fixtures";

// The console with the keyboard alone: after the first page load, only Tab, Shift+Tab, Enter, Space,
// Escape and the arrow keys — no clicks, no focus() from the test. The test only reads where the focus is.

/** Whether `target` (one element) has the focus. */
const isFocused = (target: Locator) => target.evaluate((el) => el === document.activeElement);

/** Whether the focus is inside `container`. */
const hasFocusIn = (container: Locator) => container.evaluate((el) => el.contains(document.activeElement));

/** Presses Tab (Shift+Tab backwards) until `target` has the focus; returns how many presses it took. */
async function tabTo(page: Page, target: Locator, { backwards = false, max = 60 } = {}) {
  await target.waitFor();
  for (let presses = 0; presses <= max; presses++) {
    if (await isFocused(target)) return presses;
    await page.keyboard.press(backwards ? "Shift+Tab" : "Tab");
  }
  throw new Error(`${target} was not reached in ${max} ${backwards ? "Shift+Tab" : "Tab"} presses`);
}

/** Tab and Shift+Tab, `presses` times each, never take the focus out of `dialog`. */
async function expectFocusTrappedIn(page: Page, dialog: Locator, presses: number) {
  for (const key of ["Tab", "Shift+Tab"]) {
    for (let i = 0; i < presses; i++) {
      await page.keyboard.press(key);
      expect(await hasFocusIn(dialog), `${key} #${i + 1} stays in the dialog`).toBe(true);
    }
  }
}

test("keyboard only: sign in, create a queue, send a message, find it, delete the queue", async ({
  page,
  owner,
  api,
}) => {
  test.setTimeout(120_000);
  const name = uniqueName("kbd");
  const body = `typed on a keyboard ${name}`;

  await page.goto("/login");
  await tabTo(page, page.getByLabel("Email"), { max: 5 });
  await page.keyboard.type(owner.email);
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Password")).toBeFocused();
  await page.keyboard.type(owner.password);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/queues$/, { timeout: 30_000 }); // signing in hashes a password: slow on a busy machine
  await expect(page.getByTestId("queues-empty")).toBeVisible({ timeout: 30_000 });

  // A skip link comes before the header's navigation; it shows when focused and moves to the page.
  const skip = page.getByRole("link", { name: "Skip to content" });
  await tabTo(page, skip, { max: 3 });
  await expect(skip).toBeInViewport();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("main")).toBeFocused();
  await page.keyboard.press("Tab");
  const create = page.getByRole("main").getByRole("link", { name: "Create queue" }).first();
  await expect(create).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/queues\/new$/);

  // The create form: type the name, Enter submits.
  await tabTo(page, page.getByTestId("field-name"));
  await page.keyboard.type(name);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/queues/${name}$`));
  await expect(page.getByTestId("messages-empty")).toBeVisible();

  // The queue's sections are tabs: the arrow keys move between them.
  const messagesTab = page.getByTestId("queue-tab-messages");
  await tabTo(page, messagesTab);
  await page.keyboard.press("ArrowRight");
  await expect(page.getByTestId("queue-tab-charts")).toBeFocused();
  await page.keyboard.press("ArrowRight");
  await expect(page.getByTestId("queue-tab-settings")).toBeFocused();
  await expect(page).toHaveURL(new RegExp(`/queues/${name}\\?tab=settings$`));
  await expect(page.getByTestId("attribute-visibilityTimeout")).toHaveText("30 s");
  await page.keyboard.press("ArrowLeft");
  await expect(page.getByTestId("queue-tab-charts")).toBeFocused();
  await page.keyboard.press("ArrowLeft");
  await expect(messagesTab).toBeFocused();
  await expect(page).toHaveURL(new RegExp(`/queues/${name}$`));

  // Send a test message: body, delay, tags, then the Send button.
  await tabTo(page, page.getByTestId("message-body"));
  await page.keyboard.type(body);
  await page.keyboard.press("Tab");
  await expect(page.getByTestId("message-delay")).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(page.getByTestId("message-tags")).toBeFocused();
  await page.keyboard.type("kbd");
  await page.keyboard.press("Tab");
  await expect(page.getByTestId("send-message")).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("send-success")).toContainText("Sent message");
  const sentId = (await page.getByTestId("send-success").locator("code").textContent()) ?? "";
  expect(sentId).toMatch(/^\d+$/);

  // Find it: back up to the browser's search, type, Enter. The focus stays in the field.
  const search = page.getByTestId("message-search");
  await tabTo(page, search, { backwards: true });
  await page.keyboard.type(name);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/queues/${name}\\?search=${name}$`));
  await expect(page.getByTestId("message-row")).toHaveCount(1);
  await expect(page.getByTestId("message-row")).toHaveAttribute("data-message-id", sentId);
  await expect(search).toBeFocused();
  await expect(search).toHaveValue(name);

  // The state tabs are radio buttons: an arrow key picks the next one.
  await tabTo(page, page.getByTestId("state-filter-all").locator("input"), { backwards: true });
  await page.keyboard.press("ArrowRight");
  await expect(page).toHaveURL(new RegExp(`/queues/${name}\\?state=visible&search=${name}$`));
  await expect(page.getByTestId("message-row")).toHaveAttribute("data-message-id", sentId);

  // Open it: the dialog holds the focus until Escape, which gives it back to the row's button.
  const open = page.getByTestId("message-row").getByTestId("message-id");
  await tabTo(page, open);
  await page.keyboard.press("Enter");
  const detail = page.getByTestId("message-detail-dialog");
  await expect(detail.getByTestId("message-body-raw")).toHaveText(body);
  expect(await hasFocusIn(detail)).toBe(true);
  await expectFocusTrappedIn(page, detail, 12);
  await page.keyboard.press("Escape");
  await expect(detail).toBeHidden();
  await expect(open).toBeFocused();
  await expect(page).toHaveURL(new RegExp(`/queues/${name}\\?state=visible&search=${name}$`));

  // Delete the queue through its confirmation: Escape first (nothing happens, the focus comes back),
  // then Space opens it again, the name is typed, Enter deletes.
  const deleteButton = page.getByTestId("delete-queue");
  await tabTo(page, deleteButton, { backwards: true });
  await page.keyboard.press("Enter");
  const confirm = page.getByTestId("delete-queue-dialog");
  await expect(confirm).toBeVisible();
  await expect(page.getByTestId("confirm-input")).toBeFocused();
  await expectFocusTrappedIn(page, confirm, 4);
  await page.keyboard.press("Escape");
  await expect(confirm).toBeHidden();
  await expect(deleteButton).toBeFocused();
  expect((await api.get(`/api/v1/queues/${name}`)).status()).toBe(200);

  await page.keyboard.press("Space");
  await expect(confirm).toBeVisible();
  await expect(page.getByTestId("confirm-input")).toBeFocused();
  await page.keyboard.type(name);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/queues\\?deleted=${name}$`));
  await expect(page.getByTestId("queue-deleted")).toContainText(name);
  const gone = await api.get(`/api/v1/queues/${name}`);
  expect(gone.status()).toBe(404);
  expect((await gone.json()).error.code).toBe("QUEUE_NOT_FOUND");
});

test("keyboard only at 390 px: the menu opens with Enter and Escape closes it, back on its button", async ({
  page,
  owner,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/login");
  await tabTo(page, page.getByLabel("Email"), { max: 5 });
  await page.keyboard.type(owner.email);
  await page.keyboard.press("Tab");
  await page.keyboard.type(owner.password);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/queues$/, { timeout: 30_000 });

  const menu = page.getByRole("button", { name: "Menu" });
  await tabTo(page, menu);
  await page.keyboard.press("Enter");
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  // The menu's first link comes next, then Escape from inside the menu returns to its button.
  await page.keyboard.press("Tab");
  const navFirst = page.getByTestId("console-nav").getByRole("link", { name: "Overview" });
  await expect(navFirst).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(menu).toBeFocused();

  // And a link in it is followed with Enter.
  await page.keyboard.press("Enter");
  const audit = page.getByTestId("console-nav").getByRole("link", { name: "Audit log" });
  await tabTo(page, audit);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/access\/audit$/);
  await expect(page.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
});
