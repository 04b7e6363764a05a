import type { Page } from "@playwright/test";
import { getPool } from "@/lib/db/pool";
import { expect, test, uniqueName } from "../fixtures";
import { shoot, signIn } from "./console";

// The message browser as an operator uses it on this branch alone: state tabs with totals, search
// by body, the detail panel, a message's own page, filters in the URL — and browsing never touches
// a message.

/** Every column that delivery depends on, per message of the queue. */
async function deliveryState(queueId: string) {
  const { rows } = await getPool().query(
    `SELECT id::text, visible_at, dequeue_count, receipt, first_dequeued_at, dead_at FROM message
     WHERE queue_id = $1 ORDER BY id`,
    [queueId],
  );
  return rows;
}

const rowsOf = (page: Page) => page.getByTestId("message-row");

test.describe("message browser", () => {
  test("browse by state, search bodies, open a message, link to it — all in the URL, nothing changed", async ({
    page,
    owner,
    api,
  }) => {
    const name = uniqueName("ui-browse");
    const origin = uniqueName("ui-origin");
    const created = await api.post("/api/v1/queues", { data: { name, visibilityTimeout: 600, rewindSeconds: 3600 } });
    expect(created.status()).toBe(201);
    const queueId = (await created.json()).id as string;
    const originId = (await (await api.post("/api/v1/queues", { data: { name: origin } })).json()).id as string;
    const needle = `needle-${name}`;
    const jsonBody = JSON.stringify({ order: { id: 42, items: [1, 2] }, note: needle });
    const sent = await api.post(`/api/v1/queues/${name}/messages`, {
      data: {
        messages: [
          { body: "lease me" },
          { body: jsonBody, tags: ["eu"] },
          { body: "later", delaySeconds: 900 },
          { body: "died elsewhere" },
        ],
      },
    });
    expect(sent.status()).toBe(201);
    const [leasedId, jsonId, , deadId] = (await sent.json()).messages.map((m: { id: string }) => m.id);
    const received = await api.post(`/api/v1/queues/${name}/messages/receive`, { data: { max: 1 } });
    expect((await received.json()).messages.map((m: { id: string }) => m.id)).toEqual([leasedId]);
    // A dead message (as a dead-letter move leaves it) and a deleted one kept for rewind.
    await getPool().query(
      `UPDATE message SET dead_from_queue_id = $2, dead_reason = 'maxReceiveCount', dead_at = now(),
              dead_dequeue_count = 3 WHERE id = $1`,
      [deadId, originId],
    );
    await getPool().query(
      `INSERT INTO message_history (id, queue_id, body, enqueued_at) VALUES (nextval('message_id_seq'), $1, 'gone but kept', now())`,
      [queueId],
    );
    const before = await deliveryState(queueId);

    await page.goto(`/queues/${name}`);
    await signIn(page, owner);
    // The first visit of a page after the server starts loads its code; on a busy machine that is slow.
    await expect(page.getByTestId("queue-title")).toHaveText(name, { timeout: 30_000 });
    await expect(rowsOf(page)).toHaveCount(4);
    const totals = { all: "4", visible: "2", inFlight: "1", delayed: "1", dead: "1", rewindable: "1" };
    for (const [state, total] of Object.entries(totals)) {
      await expect(page.getByTestId(`state-total-${state}`)).toHaveText(total);
    }
    await shoot(page, "01-browser-all");

    // Dead: reason and origin in the row.
    await page.getByTestId("state-filter-dead").click();
    await expect(page).toHaveURL(new RegExp(`/queues/${name}\\?state=dead$`));
    await expect(rowsOf(page)).toHaveCount(1);
    await expect(rowsOf(page).getByTestId("message-dead")).toHaveText("Dead");
    await expect(rowsOf(page).getByTestId("message-death")).toHaveText(`maxReceiveCount · from ${origin}`);
    // In flight: the lease's end.
    await page.getByTestId("state-filter-inFlight").click();
    await expect(page).toHaveURL(/\?state=inFlight$/);
    await expect(rowsOf(page)).toHaveCount(1);
    await expect(rowsOf(page)).toHaveAttribute("data-message-id", leasedId);
    await expect(rowsOf(page).getByTestId("message-next-visible")).toContainText("lease ends");
    // Back and forward walk the filters.
    await page.goBack();
    await expect(page).toHaveURL(/\?state=dead$/);
    await expect(rowsOf(page)).toHaveAttribute("data-message-id", deadId);
    await page.goBack();
    await expect(rowsOf(page)).toHaveCount(4);
    await page.goForward();
    await expect(page.getByTestId("state-filter-dead").locator("input")).toBeChecked();

    // A body search, then the tag filter; both in the URL, applied with Enter.
    await page.getByTestId("state-filter-all").click();
    // The filter bar follows the URL: type once it has (keys typed during the change can be lost).
    await expect(page).toHaveURL(new RegExp(`/queues/${name}$`));
    await page.getByTestId("message-search").fill(needle);
    await page.getByTestId("message-search").press("Enter");
    await expect(page).toHaveURL(new RegExp(`\\?search=${needle}$`));
    await expect(rowsOf(page)).toHaveCount(1);
    await expect(rowsOf(page)).toHaveAttribute("data-message-id", jsonId);
    await expect(page.getByTestId("search-refresh-note")).toBeVisible();
    await page.getByTestId("clear-filters").click();
    await expect(page).toHaveURL(new RegExp(`/queues/${name}$`));
    await expect(page.getByTestId("message-search")).toHaveValue("");
    await page.getByTestId("message-tag").fill("eu");
    await page.getByTestId("apply-filters").click();
    await expect(page).toHaveURL(/\?tag=eu$/);
    await expect(rowsOf(page)).toHaveCount(1);
    await page.getByTestId("message-tag").fill("");
    await page.getByTestId("message-id-filter").fill("12a");
    await page.getByTestId("apply-filters").click();
    await expect(page.getByTestId("filter-error")).toContainText("a number");
    await page.getByTestId("message-id-filter").fill(deadId);
    await page.getByTestId("apply-filters").click();
    await expect(page).toHaveURL(new RegExp(`\\?id=${deadId}$`));
    await expect(rowsOf(page)).toHaveAttribute("data-message-id", deadId);
    await page.getByTestId("clear-filters").click();
    await expect(rowsOf(page)).toHaveCount(4);

    // The detail panel: JSON tree, raw view, size, every field, a link of its own; back closes it.
    await rowsOf(page).filter({ hasText: needle }).getByTestId("message-id").click();
    await expect(page).toHaveURL(new RegExp(`\\?message=${jsonId}$`));
    const detail = page.getByTestId("message-detail");
    await expect(detail.getByTestId("json-tree")).toContainText('"order"');
    await expect(detail.getByTestId("json-tree")).toContainText("42");
    await expect(detail.getByTestId("field-size")).toHaveText(`${jsonBody.length} B (${jsonBody.length} bytes)`);
    await expect(detail.getByTestId("field-tags")).toHaveText("eu");
    await expect(detail.getByTestId("field-dequeue-count")).toHaveText("0");
    await expect(detail.getByTestId("copy-body")).toBeVisible();
    await shoot(page, "02-detail-json");
    await detail.getByTestId("body-view-raw").click();
    await expect(detail.getByTestId("message-body-raw")).toHaveText(jsonBody);
    await expect(detail.getByTestId("message-link")).toHaveAttribute("href", `/queues/${name}/messages/${jsonId}`);
    await page.goBack();
    await expect(page.getByTestId("message-detail")).toHaveCount(0);

    // The dead message's detail says why and where from.
    await rowsOf(page).filter({ hasText: "died elsewhere" }).getByTestId("message-id").click();
    await expect(page.getByTestId("death-reason")).toHaveText(
      "received 3 times without being deleted (maxReceiveCount)",
    );
    await expect(page.getByTestId("field-death-origin")).toHaveText(origin);
    await page.getByTestId("close-message").click();
    await expect(page).toHaveURL(new RegExp(`/queues/${name}$`));

    // A message's own page, and a deep link that restores a filter.
    await page.goto(`/queues/${name}/messages/${jsonId}`);
    await expect(page.getByTestId("message-title")).toHaveText(`Message ${jsonId}`);
    await expect(page.getByTestId("json-tree")).toContainText(needle);
    await page.goto(`/queues/${name}/messages/999999999`);
    await expect(page.getByTestId("message-not-found")).toBeVisible();
    await page.goto(`/queues/${name}?state=rewindable`);
    await expect(rowsOf(page)).toHaveCount(1);
    await expect(rowsOf(page).getByTestId("message-state")).toHaveText("Rewindable");
    await expect(rowsOf(page)).toContainText("gone but kept");
    await shoot(page, "03-rewindable");

    // Browsing was a peek: no lease, receipt, count or time moved.
    expect(await deliveryState(queueId)).toEqual(before);
  });

  test("a large body is previewed in the list and whole in the detail", async ({ page, owner, api }) => {
    const name = uniqueName("ui-large");
    expect((await api.post("/api/v1/queues", { data: { name, maxMsgSize: 65_536 } })).status()).toBe(201);
    const body = `start-${"x".repeat(10_000)}-end`;
    expect((await api.post(`/api/v1/queues/${name}/messages`, { data: { messages: [{ body }] } })).status()).toBe(201);
    const peek = await (await api.get(`/api/v1/queues/${name}/messages`)).json();
    expect(peek.messages[0]).toMatchObject({ sizeBytes: body.length, bodyTruncated: true });
    expect(peek.messages[0].body).toHaveLength(2048);

    await page.goto(`/queues/${name}`);
    await signIn(page, owner);
    await expect(rowsOf(page).getByTestId("message-size")).toHaveText("10,010 B", { timeout: 30_000 });
    await rowsOf(page).getByTestId("message-id").click();
    await expect(page.getByTestId("message-body-raw")).toHaveText(body);
  });
});
