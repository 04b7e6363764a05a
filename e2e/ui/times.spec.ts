import { expect, test } from "../fixtures";
import { signIn } from "./console";

// One time format, its zone always named, and a per-browser choice of local time or UTC — also for
// the dates the audit log is filtered by.

test.use({ timezoneId: "Asia/Shanghai" });

test("times are 24-hour with their zone; the account page switches them to UTC", async ({ page, owner }) => {
  await page.goto("/login");
  await signIn(page, owner);
  await expect(page).toHaveURL(/\/queues$/);
  await page.goto("/access/audit");
  const firstTime = page.getByTestId("audit-row").first().locator(".timestamp > span").first();
  await expect(firstTime).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC\+8$/);
  await expect(page.getByTestId("audit-time-zone")).toHaveText("24-hour times in UTC+8");

  await page.goto("/account");
  await expect(page.getByTestId("time-zone-local")).toContainText("This browser's zone (UTC+8)");
  await page.getByTestId("time-zone-utc").click();
  await expect(page.getByTestId("time-zone-utc").locator("input")).toBeChecked();
  await page.goto("/access/audit");
  await expect(firstTime).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/);
  await expect(page.getByTestId("audit-time-zone")).toHaveText("24-hour times in UTC");

  // Filter dates are written the same way; anything else is refused with the expected form.
  await page.getByTestId("audit-filter-from").fill("11/25/2026 1:45 PM");
  await expect(page.getByTestId("audit-range-error")).toHaveText(
    "Write it as 2026-11-25 13:45 (24-hour, in the zone your times are shown in).",
  );
  await page.getByTestId("audit-filter-from").fill("2099-01-01 00:00");
  await expect(page.getByTestId("audit-range-error")).toHaveCount(0);
  await expect(page.getByTestId("audit-empty")).toHaveText(/No events match these filters/);
});
