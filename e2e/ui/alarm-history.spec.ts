import { getPool } from "@/lib/db/pool";
import { expect, test, uniqueName } from "../fixtures";
import { signIn } from "./console";

// The alarm history. Its time range lives in the URL and is read in the zone times are shown in
// (here the browser's, UTC+8): a deep link shows exactly the events inside it, typing moves it, and
// Back returns to it; those events are written here, an hour apart on a fixed day, so the rows are
// known. And a firing rule deleted in the console resolves, in its history. The e2e app evaluates
// rules every second (OPENCMQ_ALARM_INTERVAL_MS=1000 in e2e/global-setup.ts).

test.use({ timezoneId: "Asia/Shanghai" });

test("a deep link with a time range shows only the history inside it; typing and Back keep it in the URL", async ({
  page,
  owner,
  api,
}) => {
  const queue = uniqueName("rangeq");
  expect((await api.post("/api/v1/queues", { data: { name: queue } })).status()).toBe(201);
  const name = uniqueName("ranged");
  // A rule that never moves by itself (an empty queue, threshold 1000): only the events below are its.
  const created = await api.post("/api/v1/alarms", {
    data: { name, kind: "backlogVisible", scope: { type: "queue", queue }, threshold: 1000 },
  });
  expect(created.status()).toBe(201);
  const rule = (await created.json()) as { id: string };
  // event 1 … event 4 at 10:00 … 13:00 UTC on 2026-11-20 = 18:00 … 21:00 in UTC+8, alternately firing and ok.
  await getPool().query(
    `INSERT INTO alarm_event (account_id, rule_id, rule_name, at, from_state, to_state, value, threshold, message)
     SELECT $1, $2, $3, timestamptz '2026-11-20 10:00:00+00' + (g - 1) * interval '1 hour',
            CASE WHEN g % 2 = 1 THEN 'ok' ELSE 'firing' END, CASE WHEN g % 2 = 1 THEN 'firing' ELSE 'ok' END,
            g, 1000, 'event ' || g
       FROM generate_series(1, 4) g`,
    [owner.accountId, rule.id, name],
  );

  await page.goto("/login");
  await signIn(page, owner);
  await expect(page).toHaveURL(/\/queues$/);
  // "To" is inclusive to the minute written: 20:00 takes the event at 20:00:00.
  await page.goto("/alarms?from=2026-11-20+18%3A30&to=2026-11-20+20%3A00");
  await expect(page.getByTestId("history-from")).toHaveValue("2026-11-20 18:30");
  await expect(page.getByTestId("history-to")).toHaveValue("2026-11-20 20:00");
  await expect(page.getByTestId("history-time-zone")).toHaveText("24-hour times in UTC+8");
  await expect(page.getByTestId("alarm-event-message")).toHaveText(["event 3", "event 2"]);
  await expect(page.getByTestId("alarm-event-at")).toHaveText([
    "2026-11-20 20:00:00 UTC+8",
    "2026-11-20 19:00:00 UTC+8",
  ]);

  // Typing moves the range (the URL follows after a pause); the state filter narrows within it.
  await page.getByTestId("history-to").fill("2026-11-20 21:00");
  await expect(page).toHaveURL(/to=2026-11-20\+21%3A00/);
  await expect(page.getByTestId("alarm-event-message")).toHaveText(["event 4", "event 3", "event 2"]);
  await page.getByTestId("history-state").selectOption("firing");
  await expect(page).toHaveURL(/state=firing/);
  await expect(page.getByTestId("alarm-event-message")).toHaveText(["event 3"]);

  // Away and Back: the same range and rows.
  await page.getByTestId("console-nav").getByRole("link", { name: "Queues" }).first().click();
  await expect(page).toHaveURL(/\/queues$/);
  await page.goBack();
  await expect(page.getByTestId("history-to")).toHaveValue("2026-11-20 21:00");
  await expect(page.getByTestId("history-state")).toHaveValue("firing");
  await expect(page.getByTestId("alarm-event-message")).toHaveText(["event 3"]);

  // A range that ends before it starts says so; clearing shows the whole history again.
  await page.getByTestId("history-from").fill("2026-11-20 22:00");
  await expect(page.getByTestId("history-range-error")).toHaveText("“To” is before “From”.");
  await page.getByTestId("history-clear").click();
  await expect(page).toHaveURL(/\/alarms$/);
  await expect(page.getByTestId("alarm-event-message")).toHaveText(["event 4", "event 3", "event 2", "event 1"]);
});

test("deleting a firing rule in the console says it resolves, and the history shows its resolve", async ({
  page,
  owner,
  api,
}) => {
  test.setTimeout(120_000); // the backlog reaches the kept counts at the 5 s metrics flush
  const queue = uniqueName("firingq");
  expect((await api.post("/api/v1/queues", { data: { name: queue } })).status()).toBe(201);
  const name = uniqueName("firing");
  const created = await api.post("/api/v1/alarms", {
    data: { name, kind: "backlogVisible", scope: { type: "queue", queue }, threshold: 0, forSeconds: 0 },
  });
  expect(created.status()).toBe(201);
  expect((await api.post(`/api/v1/queues/${queue}/messages`, { data: { messages: [{ body: "x" }] } })).status()).toBe(
    201,
  );

  await page.goto("/login");
  await signIn(page, owner);
  await expect(page).toHaveURL(/\/queues$/);
  await page.goto("/alarms");
  const row = page.getByTestId(`alarm-rule-${name}`);
  await expect(row.getByTestId("alarm-state")).toHaveText("Firing", { timeout: 45_000 });
  await page.getByRole("button", { name: `Delete ${name}` }).click();
  await expect(page.getByTestId("delete-alarm-text")).toHaveText(
    `${name} stops being evaluated. It is firing: it resolves, with an entry in the history. Its history stays.`,
  );
  await page.getByTestId("delete-alarm-dialog").getByRole("button", { name: "Delete rule" }).click();
  await expect(page.getByTestId("alarm-notice")).toHaveText(`Alarm rule ${name} deleted.`);
  await expect(row).toHaveCount(0);
  const events = page.getByTestId("alarm-event");
  await expect(events).toHaveCount(2);
  await expect(events.first()).toHaveAttribute("data-transition", "firing-ok");
  await expect(page.getByTestId("alarm-event-message")).toHaveText([
    "Rule deleted. Resolved: visible messages: no data",
    `Firing: visible messages 1 > 0 on ${queue}`,
  ]);
});
