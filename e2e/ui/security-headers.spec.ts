import { expect, test } from "../fixtures";
import { signIn } from "./console";

// The console under its Content-Security-Policy: the policy must not break Next's inline bootstrap
// scripts, styles or same-origin API calls, and no site may frame it.
test("the console works under its CSP, with no violation reported, and refuses to be framed", async ({
  page,
  owner,
}) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content.Security.Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  const response = await page.goto("/login");
  expect(response?.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
  await signIn(page, owner);
  await expect(page).toHaveURL(/\/queues$/, { timeout: 30_000 }); // a login hashes; the host may be busy
  await expect(page.getByTestId("user-email")).toHaveText(owner.email);
  await page.getByRole("link", { name: "Create queue" }).first().click();
  await expect(page).toHaveURL(/\/queues\/new$/);
  await page.reload();
  await expect(page.getByTestId("field-name")).toBeVisible();

  // A page of another origin that frames the console: Chromium blocks the frame, and says why.
  const framer = await page.context().newPage();
  const refusal = framer.waitForEvent("console", (m) => /frame-ancestors/.test(m.text()));
  await framer.setContent(`<iframe src="${new URL("/login", page.url()).href}"></iframe>`);
  expect((await refusal).text()).toContain(
    `violates the following Content Security Policy directive: "frame-ancestors 'none'"`,
  );
  expect(framer.frames().map((f) => f.url())).not.toContain(new URL("/login", page.url()).href);
  expect(violations).toEqual([]);
});
