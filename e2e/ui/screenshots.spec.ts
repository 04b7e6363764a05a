import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Page } from "@playwright/test";
import { expect, test, uniqueName } from "../fixtures";
import { signIn } from "./console";

// A picture book of the console for review: every page at 1440 and 390 px, light and dark, with data
// and, where a list can be empty, empty (test-results/…/screenshots-*/). Each page must show its
// heading and keep the layout rules of layoutFaults.

const widths = [1440, 390] as const;

/**
 * What the pictures showed going wrong, as rules: nothing wider than the window; nothing sticking out
 * of its card's (or dialog's) padding except inside a scroll box (a table's frame); every tab in
 * the window (a tab scrolled out of sight is never found); and at desktop width no table that
 * scrolls in its card. One line per fault, naming the element.
 */
async function layoutFaults(page: Page, width: number): Promise<string[]> {
  return page.evaluate((isDesktop) => {
    const faults: string[] = [];
    const name = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}${[...el.classList].map((c) => `.${c}`).join("")} “${(el.textContent ?? "").trim().slice(0, 40)}”`;
    const overflow = document.documentElement.scrollWidth - window.innerWidth;
    if (overflow > 0) faults.push(`the page is ${overflow} px wider than the window`);
    const scrolls = (el: Element) => ["auto", "scroll", "hidden", "clip"].includes(getComputedStyle(el).overflowX);
    for (const box of document.querySelectorAll(".card, dialog[open]")) {
      const r = box.getBoundingClientRect();
      const style = getComputedStyle(box);
      const left = r.left + Number.parseFloat(style.borderLeftWidth) + Number.parseFloat(style.paddingLeft);
      const right = r.right - Number.parseFloat(style.borderRightWidth) - Number.parseFloat(style.paddingRight);
      for (const el of box.querySelectorAll("*")) {
        // A modal lives in the top layer: judged against its own padding, not the card it was declared in.
        if (el.closest(".visually-hidden") || el.closest("dialog") !== (box.matches("dialog") ? box : null)) continue;
        let inScrollBox = false;
        for (let p = el.parentElement; p && p !== box; p = p.parentElement) inScrollBox ||= scrolls(p);
        const e = el.getBoundingClientRect();
        if (inScrollBox || e.width === 0 || e.height === 0) continue;
        // Text wider than its own box (a nowrap line) runs past the box's right edge.
        const isBlock = getComputedStyle(el).display !== "inline";
        const contentRight = isBlock && !scrolls(el) ? e.left + el.scrollWidth : e.right;
        if (Math.max(e.right, contentRight) > right + 0.5 || e.left < left - 0.5) {
          const by = Math.round(Math.max(e.right - right, contentRight - right, left - e.left));
          faults.push(`${name(el)} sticks out of ${name(box).slice(0, 60)} by ${by} px`);
        }
      }
    }
    for (const tab of document.querySelectorAll('[role="tab"]')) {
      const t = tab.getBoundingClientRect();
      if (t.left < 0 || t.right > window.innerWidth) faults.push(`${name(tab)} is outside the window`);
    }
    if (isDesktop) {
      for (const frame of document.querySelectorAll(".table-wrap")) {
        if (frame.scrollWidth > frame.clientWidth + 1) {
          faults.push(
            `${name(frame.querySelector("table") ?? frame)} scrolls in its card (${frame.scrollWidth} px in ${frame.clientWidth})`,
          );
        }
      }
    }
    return faults;
  }, width >= 1280);
}

for (const colorScheme of ["light", "dark"] as const) {
  test(`every page at ${widths.join(" and ")} px, ${colorScheme}`, async ({ page, owner, api }) => {
    test.setTimeout(180_000);
    await page.emulateMedia({ colorScheme });
    const shootAt = async (
      width: number,
      label: string,
      path: string,
      heading: string,
      prepare?: () => Promise<void>,
    ) => {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
      await prepare?.();
      await page.waitForLoadState("networkidle");
      // A list still loading shows skeleton rows: photograph the data, not the placeholder.
      await expect(page.locator(".skeleton")).toHaveCount(0);
      // A modal covers the window only: the rest of a full-page picture would show the page half dimmed.
      const isModal = (await page.locator("dialog[open]").count()) > 0;
      await page.screenshot({
        path: test.info().outputPath(`${colorScheme}-${width}-${label}.png`),
        fullPage: !isModal,
      });
      // Soft: one run lists every page's faults, not just the first page's.
      expect.soft(await layoutFaults(page, width), `${path} at ${width} px`).toEqual([]);
    };
    // Before signing in: the sign-in page and an unknown address.
    for (const width of widths) {
      await shootAt(width, "login", "/login", "Sign in to the console");
      await shootAt(width, "not-found", "/no-such-page", "This page does not exist");
    }
    await page.goto("/login");
    await signIn(page, owner);
    await expect(page).toHaveURL(/\/queues$/);
    // The account has nothing yet: the lists' empty states.
    for (const width of widths) {
      await shootAt(width, "queues-empty", "/queues", "Queues");
      await shootAt(width, "topics-empty", "/topics", "Topics");
    }
    const name = uniqueName("shots");
    expect((await api.post("/api/v1/queues", { data: { name, rewindSeconds: 3600 } })).status()).toBe(201);
    const messages = [{ body: '{"order":42,"items":[1,2,3]}', tags: ["eu"] }, { body: "plain text" }];
    const sent = await api.post(`/api/v1/queues/${name}/messages`, { data: { messages } });
    expect(sent.status()).toBe(201);
    const queueMessage = (await sent.json()).messages[0].id as string;
    const topic = uniqueName("shots-topic");
    expect((await api.post("/api/v1/topics", { data: { name: topic, filterType: "routing" } })).status()).toBe(201);
    const subscription = { name: "to-queue", protocol: "queue", endpoint: name, bindingKeys: ["order.*.paid"] };
    expect((await api.post(`/api/v1/topics/${topic}/subscriptions`, { data: subscription })).status()).toBe(201);
    // An HTTP subscription whose endpoint fails: the timeline then shows attempts with their errors.
    const receiver = createServer((_req, res) => res.writeHead(503).end("upstream is down"));
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/orders`;
    const push = { name: "orders-hook", protocol: "http", endpoint: hook, bindingKeys: ["order.#"] };
    expect((await api.post(`/api/v1/topics/${topic}/subscriptions`, { data: push })).status()).toBe(201);
    const published = await api.post(`/api/v1/topics/${topic}/messages`, {
      data: { messages: [{ body: '{"order":42,"paid":true}' }], routingKey: "order.eu.paid" },
    });
    expect(published.status()).toBe(201);
    const topicMessage = (await published.json()).messages[0].id as string;
    const attemptsSoFar = async () => {
      const answer = await (await api.get(`/api/v1/topics/${topic}/messages/${topicMessage}`)).json();
      return (answer.deliveries as { attempts: unknown[] }[]).reduce((n, d) => n + d.attempts.length, 0);
    };
    await expect.poll(attemptsSoFar, { timeout: 20_000 }).toBeGreaterThan(0);
    receiver.close();
    const testRoute = async () => {
      await page.getByTestId("route-test-key").fill("order.eu.paid");
      await page.getByTestId("route-test-key").press("Enter");
      await expect(page.getByTestId("route-test-row")).toHaveCount(2);
    };
    const pages: [string, string, string, (() => Promise<void>)?][] = [
      ["queues", "/queues", "Queues"],
      ["queue-new", "/queues/new", "Create queue"],
      ["queue", `/queues/${name}`, name],
      ["queue-message-open", `/queues/${name}?message=${queueMessage}`, name],
      ["queue-message", `/queues/${name}/messages/${queueMessage}`, `Message ${queueMessage}`],
      ["queue-settings", `/queues/${name}?tab=settings`, name],
      ["queue-rewind", `/queues/${name}?tab=rewind`, name],
      ["queue-charts", `/queues/${name}?tab=charts`, name],
      ["overview", "/overview", "Overview"],
      ["database", "/database", "Database health"],
      ["alarms", "/alarms", "Alarms"],
      ["topics", "/topics", "Topics"],
      ["topic-new", "/topics/new", "Create topic"],
      ["topic", `/topics/${topic}`, topic],
      ["topic-publish", `/topics/${topic}?tab=publish`, topic],
      ["topic-routing", `/topics/${topic}?tab=routing`, topic, testRoute],
      ["topic-messages", `/topics/${topic}?tab=messages`, topic],
      ["topic-message-open", `/topics/${topic}?tab=messages&message=${topicMessage}`, topic],
      ["topic-timeline", `/topics/${topic}/messages/${topicMessage}`, `Message ${topicMessage}`],
      ["topic-settings", `/topics/${topic}?tab=settings`, topic],
      ["users", "/access/users", "Users"],
      ["keys", "/access/keys", "API keys"],
      ["audit", "/access/audit", "Audit log"],
      ["account", "/account", "Your account"],
    ];
    for (const width of widths) {
      for (const [label, path, heading, prepare] of pages) await shootAt(width, label, path, heading, prepare);
    }
  });
}
