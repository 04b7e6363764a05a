import { expect, test, uniqueName } from "../fixtures";
import { signIn } from "./console";

// The create form binds a dead-letter queue: the policy picks which limit is asked for, an
// out-of-range limit is refused before sending, and what is saved is what the API then answers.

test("create a queue with a dead-letter queue from the form", async ({ page, owner, api }) => {
  const dlq = uniqueName("form-dlq");
  expect((await api.post("/api/v1/queues", { data: { name: dlq } })).status()).toBe(201);
  const name = uniqueName("form-src");
  await page.goto("/login");
  await signIn(page, owner);
  await expect(page).toHaveURL(/\/queues$/);
  await page.goto("/queues/new");
  await page.getByTestId("field-name").fill(name);
  await page.getByTestId("field-dead-letter-queue").fill(dlq);
  await page.getByTestId("field-policy-maxTimeToLive").check();
  await expect(page.getByTestId("field-maxTimeToLive")).toBeVisible();
  await expect(page.getByTestId("field-maxReceiveCount")).toHaveCount(0);
  await page.getByTestId("field-policy-maxReceiveCount").check();
  await page.getByTestId("field-maxReceiveCount").fill("1001");
  await page.getByTestId("submit-create-queue").click();
  await expect(page).toHaveURL(/\/queues\/new$/);
  expect((await api.get(`/api/v1/queues/${name}`)).status()).toBe(404);

  await page.getByTestId("field-maxReceiveCount").fill("3");
  await page.getByTestId("submit-create-queue").click();
  await expect(page).toHaveURL(new RegExp(`/queues/${name}`));
  const created = await (await api.get(`/api/v1/queues/${name}`)).json();
  expect(created.deadLetter).toMatchObject({ queue: dlq, policy: "maxReceiveCount", maxReceiveCount: 3 });
});
