import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, uniqueName } from "../fixtures";
import { shoot, signIn } from "./console";

// The topics journey of issue 11 in the console: create a routing topic, subscribe a queue and a
// local HTTP endpoint with different binding keys, ask the routing tester, publish, follow each
// delivery in the message's timeline, and find the queue's copy in that queue's message browser.

type Received = { path: string; headers: IncomingHttpHeaders; body: string };

/** A local HTTP receiver that answers 200 and remembers what it was sent. */
async function startReceiver(): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({ path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString() });
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/hook`, received };
}

test.describe("topics console", () => {
  test("routing topic: subscribe a queue and an HTTP endpoint, test routing, publish, follow the deliveries", async ({
    page,
    owner,
    api,
  }) => {
    test.setTimeout(240_000);
    const receiver = await startReceiver();
    try {
      const topic = uniqueName("ui-topic");
      const queue = uniqueName("ui-topic-q");
      expect((await api.post("/api/v1/queues", { data: { name: queue } })).status()).toBe(201);

      await page.goto("/topics");
      await signIn(page, owner);
      // Sign-in hashes a password (scrypt): on a busy machine it takes longer than a page.
      await expect(page).toHaveURL(/\/topics$/, { timeout: 30_000 });
      await expect(page.getByTestId("console-nav").getByRole("link", { name: "Topics" })).toHaveAttribute(
        "aria-current",
        "page",
      );
      await expect(page.getByTestId("topics-empty")).toContainText("No topics yet");

      // Create: the form checks before sending; the filter type is explained and fixed.
      await page.getByTestId("topics-empty").getByRole("link", { name: "Create topic" }).click();
      await expect(page).toHaveURL(/\/topics\/new$/);
      await page.getByTestId("field-topic-name").fill("9-bad");
      await page.getByTestId("field-topic-max-size").fill("1023");
      await page.getByTestId("submit-create-topic").click();
      await expect(page.getByTestId("topic-name-error")).toContainText("Start with a letter");
      await expect(page.getByTestId("topic-max-size-error")).toHaveText("Must be between 1,024 and 1,048,576 bytes.");
      expect((await (await api.get("/api/v1/topics")).json()).total).toBe(0);
      await page.getByTestId("field-topic-name").fill(topic);
      await page.getByTestId("field-topic-max-size").fill("65536");
      await page.getByTestId("filter-type-routing").click();
      await page.getByTestId("submit-create-topic").click();
      await expect(page).toHaveURL(new RegExp(`/topics/${topic}$`));
      await expect(page.getByTestId("topic-title")).toHaveText(topic);
      await expect(page.getByTestId("topic-count-filter")).toContainText("Routing keys");
      await expect(page.getByTestId("subscriptions-empty")).toBeVisible();
      expect(await (await api.get(`/api/v1/topics/${topic}`)).json()).toMatchObject({
        name: topic,
        filterType: "routing",
        maxMsgSize: 65_536,
        subscriptionCount: 0,
      });

      // Subscribe the queue (picked from the account's queues; its format is forced to SIMPLIFIED).
      await page.getByTestId("add-subscription").click();
      const dialog = page.getByTestId("subscription-dialog");
      await dialog.getByTestId("field-subscription-name").fill("paid-to-queue");
      await dialog.getByTestId("field-endpoint").fill(queue);
      await expect(dialog.getByTestId("queue-format-note")).toBeVisible();
      await dialog.getByTestId("field-binding-keys").fill("order.*.paid");
      await dialog.getByTestId("save-subscription").click();
      await expect(page.getByTestId("subscription-notice")).toContainText("Subscription paid-to-queue created.");

      // Subscribe the local HTTP endpoint with a wider binding key.
      await page.getByTestId("add-subscription").click();
      await dialog.getByTestId("field-subscription-name").fill("all-orders-hook");
      await dialog.getByTestId("protocol-http").click();
      await dialog.getByTestId("field-endpoint").fill(receiver.url);
      await dialog.getByTestId("field-binding-keys").fill("order.#");
      await dialog.getByTestId("save-subscription").click();
      await expect(page.getByTestId("subscription-notice")).toContainText("Subscription all-orders-hook created.");

      const rows = page.getByTestId("subscription-row");
      await expect(rows).toHaveCount(2);
      const queueRow = rows.filter({ hasText: "paid-to-queue" });
      await expect(queueRow.getByTestId("subscription-filter")).toHaveText("order.*.paid");
      await expect(queueRow).toContainText("Simplified");
      await expect(rows.filter({ hasText: "all-orders-hook" })).toContainText(receiver.url);
      const subscriptions = await (await api.get(`/api/v1/topics/${topic}/subscriptions`)).json();
      expect(
        subscriptions.subscriptions.map((s: { name: string; protocol: string; notifyContentFormat: string }) => [
          s.name,
          s.protocol,
          s.notifyContentFormat,
        ]),
      ).toEqual(
        expect.arrayContaining([
          ["paid-to-queue", "queue", "SIMPLIFIED"],
          ["all-orders-hook", "http", "JSON"],
        ]),
      );
      // The signing secret shows only when asked for.
      await rows.filter({ hasText: "all-orders-hook" }).getByTestId("show-secret").click();
      await expect(page.getByTestId("push-secret")).toHaveCount(0);
      await page.getByTestId("reveal-secret").click();
      await expect(page.getByTestId("push-secret")).not.toBeEmpty();
      await page.getByTestId("push-secret-dialog").getByRole("button", { name: "Close" }).click();
      await shoot(page, "01-subscriptions");

      // The routing tester: a refund reaches the hook only; a payment reaches both.
      await page.getByTestId("topic-tab-routing").click();
      await expect(page).toHaveURL(new RegExp(`/topics/${topic}\\?tab=routing$`));
      await page.getByTestId("route-test-key").fill("order.eu.refund");
      await page.getByTestId("route-test-submit").click();
      await expect(page.getByTestId("route-test-summary")).toHaveText(
        "1 of 2 subscriptions would receive a message with routing key “order.eu.refund”.",
      );
      const verdict = (subscription: string) =>
        page.locator(`[data-testid="route-test-row"][data-subscription="${subscription}"]`);
      await expect(verdict("all-orders-hook")).toHaveAttribute("data-matched", "true");
      await expect(verdict("paid-to-queue")).toHaveAttribute("data-matched", "false");
      await expect(verdict("paid-to-queue").getByTestId("route-test-reason")).toHaveText(
        "No binding key matches routing key 'order.eu.refund'",
      );
      await expect(verdict("all-orders-hook").getByTestId("route-test-reason")).toContainText(
        "Binding key 'order.#' matches routing key 'order.eu.refund'",
      );
      await page.getByTestId("route-test-key").fill("order.eu.paid");
      await page.getByTestId("route-test-submit").click();
      await expect(page.getByTestId("route-test-summary")).toHaveText(
        "2 of 2 subscriptions would receive a message with routing key “order.eu.paid”.",
      );
      await expect(verdict("paid-to-queue").getByTestId("route-test-verdict")).toHaveText("Yes");
      await shoot(page, "02-routing-tester");

      // Publish from the console: the answer names both subscriptions.
      await page.getByTestId("topic-tab-publish").click();
      // Plain text: the queue browser shows it raw, and the JSON push format carries it unescaped.
      const body = `order paid ${uniqueName("o")}`;
      await page.getByTestId("publish-body").fill(body);
      await page.getByTestId("publish-routing-key").fill("order.eu.paid");
      await page.getByTestId("publish-submit").click();
      await expect(page.getByTestId("published-to")).toContainText("paid-to-queue");
      await expect(page.getByTestId("published-to")).toContainText("all-orders-hook");
      const messageId = (await page.getByTestId("published-id").textContent()) ?? "";
      expect(messageId).toMatch(/^\d+$/);
      await shoot(page, "03-published");

      // The receiver got the push (the push worker's doing, not the page's).
      await expect.poll(() => receiver.received.length, { timeout: 20_000 }).toBe(1);
      expect(receiver.received[0]?.body).toContain(body);

      // The timeline: the queue's copy with its id, the push with its attempt.
      await page.getByTestId("topic-tab-messages").click();
      const row = page.locator(`[data-testid="topic-message-row"][data-message-id="${messageId}"]`);
      await expect(row).toBeVisible();
      await row.getByTestId("topic-message-id").click();
      await expect(page).toHaveURL(new RegExp(`[?&]message=${messageId}`));
      const timeline = page.getByTestId("topic-message-dialog").getByTestId("delivery-timeline");
      const queueDelivery = timeline.locator('[data-testid="delivery"][data-subscription="paid-to-queue"]');
      const httpDelivery = timeline.locator('[data-testid="delivery"][data-subscription="all-orders-hook"]');
      await expect(queueDelivery.getByTestId("delivery-status")).toHaveText("Delivered");
      await expect(httpDelivery.getByTestId("delivery-status")).toHaveText("Delivered", { timeout: 20_000 });
      await expect(httpDelivery.getByTestId("delivery-attempt")).toHaveCount(1);
      await expect(httpDelivery.getByTestId("attempt-outcome")).toHaveText("HTTP 200");
      await shoot(page, "04-timeline");

      // Redeliver to the hook: a second push arrives.
      await httpDelivery.getByTestId("redeliver").click();
      await page.getByTestId("redeliver-dialog").getByTestId("confirm-button").click();
      await expect.poll(() => receiver.received.length, { timeout: 20_000 }).toBe(2);

      // The queue's copy, in that queue's message browser.
      const queueMessage = await queueDelivery.getByTestId("delivery-queue-message").getAttribute("href");
      expect(queueMessage).toMatch(new RegExp(`^/queues/${queue}\\?message=\\d+$`));
      await queueDelivery.getByTestId("delivery-queue-message").click();
      await expect(page).toHaveURL(new RegExp(`/queues/${queue}\\?message=\\d+$`));
      await expect(page.getByTestId("message-detail-dialog").getByTestId("message-body-raw")).toHaveText(body);
      await shoot(page, "05-queue-browser");

      // Delete: refused while subscribed, explained; allowed once the subscriptions are gone.
      await page.goto(`/topics/${topic}`);
      await page.getByTestId("delete-topic").click();
      await expect(page.getByTestId("delete-topic-refused")).toContainText("has 2 subscriptions");
      await page.getByTestId("delete-topic-refused").getByRole("button", { name: "Close" }).click();
      for (const name of ["paid-to-queue", "all-orders-hook"]) {
        await page.getByTestId("subscription-row").filter({ hasText: name }).getByTestId("delete-subscription").click();
        await page.getByTestId("confirm-input").fill(name);
        await page.getByTestId("confirm-button").click();
        await expect(page.getByTestId("subscription-notice")).toContainText(`Subscription ${name} deleted.`);
      }
      await expect(page.getByTestId("subscriptions-empty")).toBeVisible();
      await expect(page.getByTestId("topic-count-subscriptions")).toContainText("0");
      await page.getByTestId("delete-topic").click();
      await page.getByTestId("confirm-input").fill(topic);
      await page.getByTestId("confirm-button").click();
      await expect(page).toHaveURL(new RegExp(`/topics\\?deleted=${topic}$`));
      await expect(page.getByTestId("topic-deleted")).toContainText(topic);
      expect((await api.get(`/api/v1/topics/${topic}`)).status()).toBe(404);
    } finally {
      await new Promise<void>((resolve) => receiver.server.close(() => resolve()));
    }
  });

  test("bad input stays in the form and changes nothing; a caller's search and tab live in the URL", async ({
    page,
    owner,
    api,
  }) => {
    test.setTimeout(120_000);
    const topic = uniqueName("ui-tag-topic");
    expect((await api.post("/api/v1/topics", { data: { name: topic, filterType: "tag" } })).status()).toBe(201);
    await page.goto(`/topics?search=${topic}`);
    await signIn(page, owner);
    await expect(page.getByTestId("topic-search")).toHaveValue(topic, { timeout: 30_000 });
    await expect(page.getByTestId("topic-row")).toHaveCount(1);
    await page.getByTestId("topic-row").getByRole("link", { name: topic }).click();

    // A tag topic asks for tags; more than five are refused before sending.
    await page.getByTestId("topic-tab-publish").click();
    await page.getByTestId("publish-body").fill("x");
    await page.getByTestId("publish-tags").fill("a,b,c,d,e,f");
    await page.getByTestId("publish-submit").click();
    await expect(page.getByTestId("publish-tags-error")).toHaveText("At most 5 tags.");
    // The server's own refusal (no subscription) is shown in its words.
    await page.getByTestId("publish-tags").fill("a");
    await page.getByTestId("publish-submit").click();
    await expect(page.getByTestId("publish-error")).toBeVisible();
    const messages = await (await api.get(`/api/v1/topics/${topic}/messages`)).json();
    expect(messages.messages).toEqual([]);

    // Editing the size: out of range stays in the form; a good value is saved.
    await page.getByTestId("topic-tab-settings").click();
    await page.getByTestId("edit-topic").click();
    await page.getByTestId("field-edit-topic-max-size").fill("2000000");
    await page.getByTestId("save-topic").click();
    await expect(page.getByTestId("edit-topic-max-size-error")).toHaveText(
      "Must be between 1,024 and 1,048,576 bytes.",
    );
    expect((await (await api.get(`/api/v1/topics/${topic}`)).json()).maxMsgSize).toBe(65_536);
    await page.getByTestId("field-edit-topic-max-size").fill("4096");
    await page.getByTestId("save-topic").click();
    await expect(page.getByTestId("topic-saved")).toBeVisible();
    await expect(page.getByTestId("topic-attribute-max-msg-size")).toHaveText("4,096 bytes (4 KiB)");
    expect((await (await api.get(`/api/v1/topics/${topic}`)).json()).maxMsgSize).toBe(4096);

    // Back returns to the previous tab; a reload keeps the tab.
    await page.goBack();
    await expect(page).toHaveURL(new RegExp(`/topics/${topic}\\?tab=publish$`));
    await page.reload();
    await expect(page.getByTestId("topic-tab-publish")).toHaveAttribute("aria-selected", "true");
    await page.goto("/topics/no-such-topic-here");
    await expect(page.getByTestId("topic-not-found")).toBeVisible();
  });
});
