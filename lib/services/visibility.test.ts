import { describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/prisma";
import { createTestPrincipal, createTestQueue } from "@/lib/testing/fixtures";
import { withProductionRecheckInterval } from "@/lib/testing/recheck-interval";
import { waiterCount } from "./long-poll";
import { deleteMessages, receiveMessages, sendMessages } from "./messages";
import { getQueue } from "./queues";
import { changeMessageVisibility, changeMessageVisibilityById } from "./visibility";

// Issue 10: ChangeMessageVisibility by receipt handle (a consumer's lease) and by id (an operator).

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function leased(visibilityTimeout: number) {
  const p = await createTestPrincipal();
  const q = await createTestQueue(p);
  const [sent] = await sendMessages(p, { queueName: q.name, messages: [{ body: "lease" }] });
  const [m] = await receiveMessages(p, { queueName: q.name, visibilityTimeout });
  if (!m || m.id !== sent?.id) throw new Error("not received");
  return { p, q, m };
}

describe("change visibility by receipt handle", () => {
  it("extends a lease: hidden past its first end, and the same handle still deletes", async () => {
    const { p, q, m } = await leased(1);
    const changed = await changeMessageVisibility(p, {
      queueName: q.name,
      receiptHandle: m.receiptHandle,
      visibilityTimeout: 5,
    });
    expect(changed.receiptHandle).toBe(m.receiptHandle);
    const until = Date.parse(changed.nextVisibleAt) - Date.now();
    expect(until).toBeGreaterThan(4000);
    expect(until).toBeLessThanOrEqual(5000);
    await sleep(1300);
    expect(await receiveMessages(p, { queueName: q.name })).toEqual([]);
    expect(await deleteMessages(p, { queueName: q.name, receiptHandles: [m.receiptHandle] })).toEqual({
      deleted: 1,
      failed: [],
    });
  });

  it("0 ends the lease now: the message is received again and the old handle is refused", async () => {
    const { p, q, m } = await leased(600);
    await changeMessageVisibility(p, { queueName: q.name, receiptHandle: m.receiptHandle, visibilityTimeout: 0 });
    const [again] = await receiveMessages(p, { queueName: q.name });
    expect(again?.id).toBe(m.id);
    expect(again?.dequeueCount).toBe(2);
    // Superseded by the new receive.
    await expect(
      changeMessageVisibility(p, { queueName: q.name, receiptHandle: m.receiptHandle, visibilityTimeout: 30 }),
    ).rejects.toMatchObject({ code: "RECEIPT_HANDLE_INVALID" });
    expect(await deleteMessages(p, { queueName: q.name, receiptHandles: [again?.receiptHandle ?? ""] })).toEqual({
      deleted: 1,
      failed: [],
    });
  });

  it("an expired or foreign handle changes nothing", async () => {
    const { p, q, m } = await leased(1);
    await sleep(1100);
    await expect(
      changeMessageVisibility(p, { queueName: q.name, receiptHandle: m.receiptHandle, visibilityTimeout: 600 }),
    ).rejects.toMatchObject({ code: "RECEIPT_HANDLE_INVALID" });
    await expect(
      changeMessageVisibility(p, { queueName: q.name, receiptHandle: "garbage", visibilityTimeout: 600 }),
    ).rejects.toMatchObject({ code: "RECEIPT_HANDLE_INVALID" });
    // The handle in another queue of the account is not this queue's.
    const other = await createTestQueue(p);
    await expect(
      changeMessageVisibility(p, { queueName: other.name, receiptHandle: m.receiptHandle, visibilityTimeout: 0 }),
    ).rejects.toMatchObject({ code: "RECEIPT_HANDLE_INVALID" });
    // Still visible: the refused change did not hide it.
    expect((await getQueue(p, q.name)).counts).toMatchObject({ visible: 1, inFlight: 0 });
  });

  describe("waking long polls", () => {
    withProductionRecheckInterval();

    it("ending a lease wakes a receiver parked on the queue at once", async () => {
      const { p, q, m } = await leased(600);
      const started = performance.now();
      const waiting = receiveMessages(p, { queueName: q.name, waitSeconds: 8 });
      while (waiterCount(q.id) === 0) await sleep(5);
      await changeMessageVisibility(p, { queueName: q.name, receiptHandle: m.receiptHandle, visibilityTimeout: 0 });
      const [got] = await waiting;
      expect(got?.id).toBe(m.id);
      expect(performance.now() - started).toBeLessThan(3000);
    });

    it("shortening a lease wakes a parked receiver when the new lease ends", async () => {
      const { p, q, m } = await leased(600);
      const started = performance.now();
      const waiting = receiveMessages(p, { queueName: q.name, waitSeconds: 8 });
      while (waiterCount(q.id) === 0) await sleep(5);
      await changeMessageVisibility(p, { queueName: q.name, receiptHandle: m.receiptHandle, visibilityTimeout: 1 });
      const [got] = await waiting;
      expect(got?.id).toBe(m.id);
      expect(performance.now() - started).toBeLessThan(4000);
    });
  });
});

describe("change visibility by id (operator)", () => {
  it("changes an in-flight or a delayed message, audited; refuses a visible or unknown one", async () => {
    const { p, q, m } = await leased(600);
    const ended = await changeMessageVisibilityById(p, { queueName: q.name, id: m.id, visibilityTimeout: 0 });
    expect(ended.id).toBe(m.id);
    expect(Math.abs(Date.parse(ended.nextVisibleAt) - Date.now())).toBeLessThan(2000);
    // Visible now: nothing to change.
    await expect(
      changeMessageVisibilityById(p, { queueName: q.name, id: m.id, visibilityTimeout: 60 }),
    ).rejects.toMatchObject({ code: "MESSAGE_VISIBLE" });
    const [delayed] = await sendMessages(p, { queueName: q.name, messages: [{ body: "later", delaySeconds: 600 }] });
    const sooner = await changeMessageVisibilityById(p, {
      queueName: q.name,
      id: delayed?.id ?? "",
      visibilityTimeout: 0,
    });
    expect(sooner.id).toBe(delayed?.id);
    const got = await receiveMessages(p, { queueName: q.name, max: 16 });
    expect(got.map((x) => x.body).sort()).toEqual(["later", "lease"]);
    await expect(
      changeMessageVisibilityById(p, { queueName: q.name, id: "999999999999", visibilityTimeout: 0 }),
    ).rejects.toMatchObject({ code: "MESSAGE_NOT_FOUND" });
    // A message of another queue is not in this one.
    const other = await createTestQueue(p);
    await expect(
      changeMessageVisibilityById(p, { queueName: other.name, id: m.id, visibilityTimeout: 0 }),
    ).rejects.toMatchObject({ code: "MESSAGE_NOT_FOUND" });
    const audit = await getPrisma().auditEvent.findMany({
      where: { accountId: p.accountId, action: "message.visibility" },
      orderBy: { id: "asc" },
      select: { resourceName: true, details: true },
    });
    expect(audit).toEqual([
      { resourceName: q.name, details: { id: m.id, visibilityTimeout: 0 } },
      { resourceName: q.name, details: { id: delayed?.id, visibilityTimeout: 0 } },
    ]);
  });
});
