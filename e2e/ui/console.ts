import type { Page } from "@playwright/test";
import { type Owner, test } from "../fixtures";

// Steps every console journey takes: screenshots into the test's output folder, and signing in
// through the login form.

export const shoot = (page: Page, name: string) =>
  page.screenshot({ path: test.info().outputPath(`${name}.png`), fullPage: true });

/** Fills and submits the login form on the current page. */
export async function signIn(page: Page, who: Pick<Owner, "email" | "password">) {
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}
