import { getPool } from "@/lib/db/pool";
import { searchWalkLimit } from "@/lib/store/inspect";
import { expect, test, uniqueName } from "../fixtures";
import { shoot, signIn } from "./console";

// The console as a user meets it: sign in, create a queue, send, browse, delete. Every page is
// screenshotted into the test's output folder, so a run leaves a picture book of the console.

test.describe("console", () => {
  test("sign in, create a queue, send a message, browse it, delete the queue", async ({ page, owner, api }) => {
    // A visitor without a session is sent to sign in, and comes back to the page asked for.
    await page.goto("/queues");
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fqueues$/);
    await expect(page.getByRole("heading", { name: "Sign in to the console" })).toBeVisible();
    await shoot(page, "01-login");

    await signIn(page, owner);
    await expect(page).toHaveURL(/\/queues$/);
    await expect(page.getByTestId("user-email")).toHaveText(owner.email);
    // A fresh account has no queues.
    await expect(page.getByTestId("queues-empty")).toContainText("No queues yet");
    await shoot(page, "02-queues-empty");

    // The create form shows each attribute's range and default, and checks them before sending.
    await page.getByTestId("queues-empty").getByRole("link", { name: "Create queue" }).click();
    await expect(page).toHaveURL(/\/queues\/new$/);
    await expect(page.getByTestId("range-visibilityTimeout")).toHaveText("Range 1–43,200 s · default 30 s");
    await expect(page.getByTestId("range-maxMsgSize")).toHaveText(
      "Range 1,024–1,048,576 bytes · default 65,536 bytes (64 KiB)",
    );
    await expect(page.getByTestId("field-pollingWaitSeconds")).toHaveValue("0");
    await page.getByTestId("field-name").fill("9-starts-with-a-digit");
    await page.getByTestId("field-visibilityTimeout").fill("43201");
    await page.getByTestId("submit-create-queue").click();
    await expect(page.getByTestId("queue-name-error")).toContainText("Start with a letter");
    await expect(page.getByTestId("create-visibilityTimeout-error")).toHaveText("Must be between 1 and 43,200.");
    await expect(page).toHaveURL(/\/queues\/new$/);
    await shoot(page, "03-create-queue-invalid");

    const name = uniqueName("ui-journey");
    await page.getByTestId("field-name").fill(name);
    await page.getByTestId("field-visibilityTimeout").fill("45");
    await page.getByTestId("submit-create-queue").click();
    await expect(page).toHaveURL(new RegExp(`/queues/${name}$`));
    await expect(page.getByTestId("queue-title")).toHaveText(name);
    await expect(page.getByTestId("messages-empty")).toContainText("No messages");
    await page.getByTestId("queue-tab-settings").click();
    await expect(page).toHaveURL(new RegExp(`/queues/${name}\\?tab=settings$`));
    await expect(page.getByTestId("attribute-visibilityTimeout")).toHaveText("45 s");
    await expect(page.getByTestId("attribute-maxMsgSize")).toHaveText("65,536 bytes (64 KiB)");

    // Editing sends the changed attributes (PATCH); an out-of-range value is stopped in the form.
    await page.getByTestId("edit-attributes").click();
    await page.getByTestId("field-pollingWaitSeconds").fill("31");
    await page.getByTestId("save-attributes").click();
    await expect(page.getByTestId("edit-pollingWaitSeconds-error")).toHaveText("Must be between 0 and 30.");
    await page.getByTestId("field-pollingWaitSeconds").fill("20");
    await page.getByTestId("save-attributes").click();
    await expect(page.getByTestId("attributes-saved")).toBeVisible();
    await expect(page.getByTestId("attribute-pollingWaitSeconds")).toHaveText("20 s");
    const edited = await api.get(`/api/v1/queues/${name}`);
    expect(await edited.json()).toMatchObject({ pollingWaitSeconds: 20, visibilityTimeout: 45 });

    // Send one message now and one delayed; both appear in the peek list with their state.
    await page.getByTestId("queue-tab-messages").click();
    const body = `hello from the console ${name}`;
    await page.getByTestId("message-body").fill(body);
    await page.getByTestId("message-tags").fill("ui, e2e");
    await page.getByTestId("send-message").click();
    await expect(page.getByTestId("send-success")).toContainText("Sent message");
    const row = page.getByTestId("message-row").filter({ hasText: body });
    await expect(row.getByTestId("message-state")).toHaveText("Visible");
    await expect(row.getByTestId("message-dequeue-count")).toHaveText("0");
    await expect(row).toContainText("ui");
    await expect(page.getByTestId("count-visible")).toContainText("1");

    const delayedBody = `later ${name}`;
    await page.getByTestId("message-body").fill(delayedBody);
    await page.getByTestId("message-tags").fill("");
    await page.getByTestId("message-delay").fill("600");
    await page.getByTestId("send-message").click();
    const delayedRow = page.getByTestId("message-row").filter({ hasText: delayedBody });
    await expect(delayedRow.getByTestId("message-state")).toHaveText("Delayed");
    await expect(page.getByTestId("message-row")).toHaveCount(2);
    await expect(page.getByTestId("count-delayed")).toContainText("1");
    await shoot(page, "04-queue-detail");

    // The state filter narrows the list.
    await page.getByTestId("state-filter-delayed").click();
    await expect(page.getByTestId("message-row")).toHaveCount(1);
    await expect(page.getByTestId("message-row").getByTestId("message-state")).toHaveText("Delayed");
    await page.getByTestId("state-filter-inFlight").click();
    await expect(page.getByTestId("messages-empty")).toContainText("No messages");
    await page.getByTestId("state-filter-visible").click();
    await expect(page.getByTestId("message-row")).toHaveCount(1);
    await expect(page.getByTestId("message-row")).toContainText(body);
    await shoot(page, "05-queue-detail-filtered");

    // Browsing is a peek: the API still sees one visible, none in flight, one delayed.
    const seen = await api.get(`/api/v1/queues/${name}`);
    expect(seen.status()).toBe(200);
    expect((await seen.json()).counts).toMatchObject({ visible: 1, inFlight: 0, delayed: 1 });

    // Deleting needs the queue's name typed exactly.
    await page.getByTestId("delete-queue").click();
    const dialog = page.getByTestId("delete-queue-dialog");
    await expect(dialog).toBeVisible();
    await expect(dialog.getByTestId("confirm-button")).toBeDisabled();
    await dialog.getByTestId("confirm-input").fill(name.slice(0, -1));
    await expect(dialog.getByTestId("confirm-button")).toBeDisabled();
    await dialog.getByTestId("confirm-input").fill(name);
    await expect(dialog.getByTestId("confirm-button")).toBeEnabled();
    await page.screenshot({ path: test.info().outputPath("06-delete-dialog.png") });
    await dialog.getByTestId("confirm-button").click();

    // The list says what happened, until dismissed.
    await expect(page).toHaveURL(new RegExp(`/queues\\?deleted=${name}$`));
    await expect(page.getByTestId("queue-deleted")).toHaveText(
      `Queue ${name} was deleted, with every message in it.Dismiss`,
    );
    await expect(page.getByTestId("queues-empty")).toContainText("No queues yet");
    await shoot(page, "07-queues-after-delete");
    await page.getByTestId("queue-deleted").getByRole("button", { name: "Dismiss" }).click();
    await expect(page.getByTestId("queue-deleted")).toHaveCount(0);
    await expect(page).toHaveURL(/\/queues$/);
    const gone = await api.get(`/api/v1/queues/${name}`);
    expect(gone.status()).toBe(404);
    expect((await gone.json()).error.code).toBe("QUEUE_NOT_FOUND");
  });

  test("a search through a large queue goes on a stretch at a time, never consuming", async ({ page, owner, api }) => {
    const name = uniqueName("ui-search");
    const created = await api.post("/api/v1/queues", { data: { name } });
    expect(created.status()).toBe(201);
    const { id } = await created.json();
    // More messages than one search page reads, then the only match behind them all.
    await getPool().query(
      "INSERT INTO message (queue_id, body, visible_at) SELECT $1, 'filler ' || g, now() FROM generate_series(1, $2) g",
      [id, searchWalkLimit + 10],
    );
    const sent = await api.post(`/api/v1/queues/${name}/messages`, { data: { messages: [{ body: "the needle" }] } });
    expect(sent.status()).toBe(201);

    await page.goto(`/queues/${name}`);
    await signIn(page, owner);
    await expect(page.getByTestId("queue-title")).toHaveText(name);
    await page.getByTestId("message-search").fill("needle");
    await page.getByTestId("message-search").press("Enter");
    await expect(page.getByTestId("messages-search-partial")).toContainText("No match so far");
    await shoot(page, "search-partial");
    await page.getByTestId("search-further").click();
    await expect(page.getByTestId("message-row")).toHaveCount(1);
    await expect(page.getByTestId("message-row")).toContainText("the needle");

    // Searching is a peek: every message is still there, none was ever received.
    const { rows } = await getPool().query(
      "SELECT count(*)::int AS total, count(*) FILTER (WHERE dequeue_count > 0)::int AS received FROM message WHERE queue_id = $1",
      [id],
    );
    expect(rows[0]).toEqual({ total: searchWalkLimit + 11, received: 0 });
  });

  test("a wrong password shows an error and keeps the visitor on the login page", async ({ page, owner }) => {
    await page.goto("/login");
    await signIn(page, { email: owner.email, password: `${owner.password}-wrong` });
    await expect(page.getByTestId("login-error")).toHaveText("Wrong email or password");
    await expect(page).toHaveURL(/\/login$/);
    await shoot(page, "01-login-wrong-password");

    // The same form then signs in with the right password.
    await page.getByLabel("Password").fill(owner.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/queues$/);
  });

  test("the create form shows the server's error next to the name", async ({ page, owner, api }) => {
    const name = uniqueName("taken");
    expect((await api.post("/api/v1/queues", { data: { name } })).status()).toBe(201);

    await page.goto("/queues/new");
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fqueues%2Fnew$/);
    await signIn(page, owner);
    await expect(page).toHaveURL(/\/queues\/new$/);

    await page.getByTestId("field-name").fill(name);
    await page.getByTestId("submit-create-queue").click();
    await expect(page.getByTestId("queue-name-error")).toContainText("already exists");
    await expect(page).toHaveURL(/\/queues\/new$/);
    await shoot(page, "01-create-queue-exists");

    // Signing out ends the session: the console sends the visitor back to sign in.
    await page.getByTestId("sign-out").click();
    await expect(page).toHaveURL(/\/login$/);
    await page.goto("/queues");
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fqueues$/);
  });
});
