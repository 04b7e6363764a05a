import { expect, test, uniqueName } from "../fixtures";
import { signIn } from "./console";

// A locked email is told it is locked, and for how long — for any password (no hint the password was
// right), and for an email no user has just the same (no hint whether it exists).

const locked = "Too many failed sign-ins with this email. Try again in 1 minute.";

test("five wrong passwords lock the email: the right one is then refused as locked, with the wait", async ({
  page,
  owner,
}) => {
  await page.goto("/login");
  for (let i = 0; i < 5; i++) {
    await signIn(page, { email: owner.email, password: `wrong-${i}` });
    await expect(page.getByTestId("login-error")).toHaveText("Wrong email or password");
  }
  await signIn(page, owner);
  await expect(page.getByTestId("login-error")).toHaveText(locked);
  await expect(page).toHaveURL(/\/login/);
});

test("an email no user has locks the same way", async ({ page }) => {
  const email = `${uniqueName("nobody")}@e2e.test`;
  await page.goto("/login");
  for (let i = 0; i < 5; i++) {
    await signIn(page, { email, password: `guess-${i}` });
    await expect(page.getByTestId("login-error")).toHaveText("Wrong email or password");
  }
  await signIn(page, { email, password: "guess-again" });
  await expect(page.getByTestId("login-error")).toHaveText(locked);
});
