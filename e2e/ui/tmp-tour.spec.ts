import { getPool } from "@/lib/db/pool";
import { test, uniqueName } from "../fixtures";
import { signIn } from "./console";

test("tour", async ({ page, owner, api }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  const name = uniqueName("tour");
  const origin = uniqueName("origin");
  const q = await (await api.post("/api/v1/queues", { data: { name, rewindSeconds: 3600 } })).json();
  const o = await (await api.post("/api/v1/queues", { data: { name: origin } })).json();
  const sent = await api.post(`/api/v1/queues/${name}/messages`, {
    data: { messages: [{ body: JSON.stringify({ order: { id: 42, lines: [{ sku: "A", qty: 2 }, { sku: "B", qty: 1 }] }, customer: "acme" }), tags: ["eu", "vip"] }, { body: "plain text body" }, { body: "later", delaySeconds: 600 }] },
  });
  const ids = (await sent.json()).messages.map((m: { id: string }) => m.id);
  await getPool().query(`UPDATE message SET dead_from_queue_id=$2, dead_reason='maxReceiveCount', dead_at=now(), dead_dequeue_count=5 WHERE id=$1`, [ids[0], o.id]);
  await page.goto(`/queues/${name}`);
  await signIn(page, owner);
  await page.getByTestId("message-row").first().waitFor();
  await page.screenshot({ path: "/tmp/x/tour-1-messages.png", fullPage: true });
  await page.getByTestId("message-id").first().click();
  await page.getByTestId("json-tree").waitFor();
  await page.screenshot({ path: "/tmp/x/tour-2-detail.png" });
  await page.getByTestId("close-message").click();
  await page.getByTestId("bulk-purge").click();
  await page.getByTestId("dry-run-count").or(page.getByTestId("error-box")).first().waitFor();
  await page.screenshot({ path: "/tmp/x/tour-3-bulk.png" });
  await page.keyboard.press("Escape");
  await page.goto(`/queues/${name}?tab=settings`);
  await page.getByTestId("dead-letter-panel").waitFor();
  await page.getByTestId("edit-dead-letter").click();
  await page.screenshot({ path: "/tmp/x/tour-4-settings.png", fullPage: true });
  await page.goto(`/queues/${name}?tab=rewind`);
  await page.getByTestId("rewind-panel").waitFor();
  await page.screenshot({ path: "/tmp/x/tour-5-rewind.png", fullPage: true });
  await page.goto(`/queues/${name}/messages/${ids[0]}`);
  await page.getByTestId("json-tree").waitFor();
  await page.screenshot({ path: "/tmp/x/tour-6-page.png", fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/queues/${name}`);
  await page.getByTestId("message-row").first().waitFor();
  await page.screenshot({ path: "/tmp/x/tour-7-phone.png", fullPage: true });
  void q;
});
