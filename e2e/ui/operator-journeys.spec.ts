import { localInputOfIso } from "@/lib/client/message-browser-filter";
import { expect, test, uniqueName } from "../fixtures";
import { shoot, signIn } from "./console";

// Issue 10's operator journeys across dead letters, rewind, operations and the message browser.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test.describe("operator journeys", () => {
  test("a poison message dies, is found by its body, shows why, is redriven and consumed", async ({
    page,
    owner,
    api,
  }) => {
    const dlq = uniqueName("ui-dlq");
    const source = uniqueName("ui-src");
    expect((await api.post("/api/v1/queues", { data: { name: dlq } })).status()).toBe(201);
    const created = await api.post("/api/v1/queues", {
      data: {
        name: source,
        visibilityTimeout: 1,
        deadLetter: { queue: dlq, policy: "maxReceiveCount", maxReceiveCount: 2 },
      },
    });
    expect(created.status()).toBe(201);
    const poison = `poison ${uniqueName("p")}`;
    const sent = await api.post(`/api/v1/queues/${source}/messages`, { data: { messages: [{ body: poison }] } });
    const [{ id }] = (await sent.json()).messages;
    // Two receives whose leases lapse; the third receive moves it instead of returning it.
    for (let i = 0; i < 2; i++) {
      const got = await (await api.post(`/api/v1/queues/${source}/messages/receive`, { data: { max: 1 } })).json();
      expect(got.messages.map((m: { id: string }) => m.id)).toEqual([id]);
      await sleep(1_100);
    }
    const third = await (await api.post(`/api/v1/queues/${source}/messages/receive`, { data: { max: 1 } })).json();
    expect(third.messages).toEqual([]);

    await page.goto(`/queues/${dlq}?state=dead`);
    await signIn(page, owner);
    await page.getByTestId("message-search").fill(poison.slice(7));
    await page.getByTestId("message-search").press("Enter");
    const row = page.getByTestId("message-row");
    await expect(row).toHaveCount(1);
    await expect(row).toHaveAttribute("data-message-id", id);
    await row.getByTestId("message-id").click();
    await expect(page.getByTestId("death-reason")).toHaveText(
      "received 2 times without being deleted (maxReceiveCount)",
    );
    await expect(page.getByTestId("field-death-origin")).toHaveText(source);
    await shoot(page, "01-dead-message");

    await page.getByTestId("redrive-message").click();
    await page.getByTestId("bulk-continue").click();
    await expect(page.getByTestId("dry-run-count")).toHaveAttribute("data-count", "1");
    await page.getByTestId("confirm-bulk").click();
    await expect(page.getByTestId("operation-progress")).toHaveAttribute("data-status", "done");
    await expect(page.getByTestId("operation-processed")).toHaveText("Redriven 1 of 1");

    // A consumer of the origin queue now gets it, once more, with a fresh dequeue count.
    const again = await (await api.post(`/api/v1/queues/${source}/messages/receive`, { data: { max: 1 } })).json();
    expect(
      again.messages.map((m: { id: string; body: string; dequeueCount: number }) => [m.id, m.body, m.dequeueCount]),
    ).toEqual([[id, poison, 1]]);
    const deleted = await api.post(`/api/v1/queues/${source}/messages/delete`, {
      data: { receiptHandles: [again.messages[0].receiptHandle] },
    });
    expect((await deleted.json()).deleted).toBe(1);
  });

  test("rewind a queue and see its consumed messages return", async ({ page, owner, api }) => {
    const name = uniqueName("ui-rewind");
    expect((await api.post("/api/v1/queues", { data: { name, rewindSeconds: 3600 } })).status()).toBe(201);
    const start = new Date(Date.now() - 5_000);
    const bodies = ["r1", "r2", "r3"].map((b) => `${b} ${name}`);
    await api.post(`/api/v1/queues/${name}/messages`, { data: { messages: bodies.map((body) => ({ body })) } });
    const got = await (await api.post(`/api/v1/queues/${name}/messages/receive`, { data: { max: 16 } })).json();
    const handles = got.messages.map((m: { receiptHandle: string }) => m.receiptHandle);
    expect(
      (await (await api.post(`/api/v1/queues/${name}/messages/delete`, { data: { receiptHandles: handles } })).json())
        .deleted,
    ).toBe(3);

    await page.goto(`/queues/${name}?tab=rewind`);
    await signIn(page, owner);
    // The first page after signing in can be slow on a busy machine.
    await expect(page.getByTestId("rewind-kept")).toContainText("3 deleted messages kept", { timeout: 30_000 });
    await page.getByTestId("rewind-time").fill(localInputOfIso(start.toISOString()));
    await page.getByTestId("rewind-queue").click();
    await page.getByTestId("rewind-dialog").getByTestId("confirm-button").click();
    await expect(page.getByTestId("rewound")).toHaveText("3 messages are back in the queue.");

    await page.getByTestId("queue-tab-messages").click();
    await page.getByTestId("state-filter-visible").click();
    await expect(page.getByTestId("message-row")).toHaveCount(3);
    const again = await (await api.post(`/api/v1/queues/${name}/messages/receive`, { data: { max: 16 } })).json();
    expect(again.messages.map((m: { body: string }) => m.body)).toEqual(bodies);
  });

  test("purge what a filter matches, confirmed with its exact count", async ({ page, owner, api }) => {
    const name = uniqueName("ui-purge");
    expect((await api.post("/api/v1/queues", { data: { name } })).status()).toBe(201);
    const keep = Array.from({ length: 5 }, (_, i) => ({ body: `keep ${i}` }));
    const drop = Array.from({ length: 3 }, (_, i) => ({ body: `drop ${i}`, tags: ["bad"] }));
    expect(
      (await api.post(`/api/v1/queues/${name}/messages`, { data: { messages: [...keep, ...drop] } })).status(),
    ).toBe(201);

    await page.goto(`/queues/${name}`);
    await signIn(page, owner);
    await page.getByTestId("message-search").fill("drop");
    await page.getByTestId("message-search").press("Enter");
    await expect(page.getByTestId("message-row")).toHaveCount(3);
    await page.getByTestId("bulk-purge").click();
    const dialog = page.getByTestId("bulk-action-dialog");
    await expect(dialog).toContainText("all messages whose body contains “drop”");
    await expect(dialog.getByTestId("dry-run-count")).toHaveAttribute("data-count", "3");
    await expect(dialog.getByTestId("confirm-bulk")).toHaveText("Purge 3 messages");
    await shoot(page, "purge-confirm");
    await dialog.getByTestId("confirm-bulk").click();
    await expect(dialog.getByTestId("operation-progress")).toHaveAttribute("data-status", "done");
    await dialog.getByTestId("close-operation").click();
    await expect(page.getByTestId("messages-empty")).toBeVisible();

    const left = await (await api.get(`/api/v1/queues/${name}/messages?limit=100`)).json();
    expect(left.messages.map((m: { body: string }) => m.body).sort()).toEqual(keep.map((m) => m.body));
  });
});
