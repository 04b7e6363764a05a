import { expect, test } from "../fixtures";
import { shoot, signIn } from "./console";

// The frame around every page: the header on a phone, visible keyboard focus, and the pages for a
// URL nothing answers.

test("at 390 px the header folds into a menu that reaches every navigation item", async ({ page, owner }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/login");
  await signIn(page, owner);
  await expect(page).toHaveURL(/\/queues$/);
  // Nothing sticks out of the viewport: the page is as wide as the phone.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

  const menu = page.getByRole("button", { name: "Menu" });
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(page.getByRole("link", { name: "Audit log" })).toBeHidden();
  await menu.click();
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  for (const name of ["Queues", "Topics", "Users", "API keys", "Audit log"]) {
    await expect(page.getByTestId("console-nav").getByRole("link", { name })).toBeInViewport();
  }
  await expect(page.getByTestId("user-email")).toBeInViewport();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeInViewport();
  await shoot(page, "menu-open-390");

  // Following a link closes the menu on the new page; Escape closes it too.
  await page.getByRole("link", { name: "Audit log" }).click();
  await expect(page).toHaveURL(/\/access\/audit$/);
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await menu.click();
  await page.keyboard.press("Escape");
  await expect(menu).toHaveAttribute("aria-expanded", "false");
});

test("at 1024 px the eight links and the controls fold behind Menu instead of crowding", async ({ page, owner }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.goto("/login");
  await signIn(page, owner);
  await expect(page).toHaveURL(/\/queues$/);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);
  const menu = page.getByRole("button", { name: "Menu" });
  await menu.click();
  for (const name of ["Overview", "Queues", "Topics", "Users", "API keys", "Audit log", "Alarms", "Database"]) {
    await expect(page.getByTestId("console-nav").getByRole("link", { name })).toBeInViewport();
  }
  await expect(page.getByTestId("user-email")).toBeInViewport();
});

for (const width of [1280, 1440, 1920]) {
  test(`at ${width} px every header item has its own room: nothing overlaps, nothing sticks out`, async ({
    page,
    owner,
  }) => {
    await page.setViewportSize({ width, height: 800 });
    await page.goto("/login");
    await signIn(page, owner);
    await expect(page).toHaveURL(/\/queues$/);
    await expect(page.getByRole("button", { name: "Menu" })).toBeHidden();
    // The header's items left to right: the brand, each navigation link, then each control at its end.
    const boxes = await page.evaluate(() => {
      const header = document.querySelector(".console-header-inner");
      const items = [
        header?.querySelector(".brand"),
        ...(header?.querySelectorAll(".console-nav a") ?? []),
        ...(header?.querySelector(".console-header-end")?.children ?? []),
      ];
      return items
        .filter((el): el is Element => !!el && getComputedStyle(el).display !== "none")
        .map((el) => {
          const r = el.getBoundingClientRect();
          return { what: el.textContent?.trim() || el.className, left: r.left, right: r.right, width: r.width };
        });
    });
    for (const [before, after] of boxes.slice(0, -1).map((b, i) => [b, boxes[i + 1]] as const)) {
      expect(after && before.right <= after.left + 0.5, `${before.what} ends before ${after?.what} begins`).toBe(true);
    }
    expect(Math.max(...boxes.map((b) => b.right))).toBeLessThanOrEqual(width);
    // None is squeezed to nothing (the account link once shrank to 0 px beside the controls).
    for (const box of boxes) expect(box.width, box.what).toBeGreaterThanOrEqual(24);
  });
}

test("keyboard focus is visible on buttons and links", async ({ page, owner }) => {
  await page.goto("/login");
  await signIn(page, owner);
  await expect(page).toHaveURL(/\/queues$/);
  const signOut = page.getByRole("button", { name: "Sign out" });
  await signOut.focus();
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Tab"); // focus by keyboard, so :focus-visible applies
  await expect(signOut).toBeFocused();
  const outline = await signOut.evaluate((el) => {
    const style = getComputedStyle(el);
    return { style: style.outlineStyle, width: Number.parseFloat(style.outlineWidth) };
  });
  expect(outline.style).toBe("solid");
  expect(outline.width).toBeGreaterThanOrEqual(2);
});

test("a URL nothing answers gets a styled 404 with a way back", async ({ page, owner }) => {
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "This page does not exist" })).toBeVisible();
  await page.getByRole("link", { name: "Go to queues" }).click();
  // Without a session, the way back goes through sign-in.
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fqueues$/);
  await signIn(page, owner);
  await expect(page).toHaveURL(/\/queues$/);
});
