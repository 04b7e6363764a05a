import { describe, expect, it } from "vitest";
import { createTestPrincipal, createTestQueue } from "@/lib/testing/fixtures";
import { withProductionRecheckInterval } from "@/lib/testing/recheck-interval";
import { receiveMessages, sendMessages } from "./messages";

// Issue 9, item 18: a long poll missed a message that became visible during the wait (a lease ending
// or a delay coming due), answering "no message" at the end of the wait. These run with the
// production re-check interval (10 s, longer than every wait here), so only the wake-up at the
// moment of visibility can deliver the message: the safety net cannot hide a miss.
const TRIES = 60;

withProductionRecheckInterval();

describe("long poll wakes at the moment a message becomes visible", () => {
  it(`a lease ending during a 4 s poll delivers the message (${TRIES} tries, none missed)`, async () => {
    const p = await createTestPrincipal();
    const outcomes = await Promise.all(
      Array.from({ length: TRIES }, async (_, i) => {
        const q = await createTestQueue(p);
        const [sent] = await sendMessages(p, { queueName: q.name, messages: [{ body: `lease-${i}` }] });
        const [first] = await receiveMessages(p, { queueName: q.name, visibilityTimeout: 1, waitSeconds: 0 });
        expect(first?.id).toBe(sent?.id);
        const [again] = await receiveMessages(p, { queueName: q.name, waitSeconds: 4 });
        return again?.id === sent?.id ? "delivered" : "missed";
      }),
    );
    expect(outcomes.filter((o) => o === "missed").length).toBe(0);
  });

  it(`a delayed message coming due during a 4 s poll is delivered (${TRIES} tries, none missed)`, async () => {
    const p = await createTestPrincipal();
    const outcomes = await Promise.all(
      Array.from({ length: TRIES }, async (_, i) => {
        const q = await createTestQueue(p);
        const [sent] = await sendMessages(p, {
          queueName: q.name,
          messages: [{ body: `delay-${i}`, delaySeconds: 2 }],
        });
        // A first poll that ends before the message is due, as a client's loop would do.
        expect(await receiveMessages(p, { queueName: q.name, waitSeconds: 1 })).toEqual([]);
        const [got] = await receiveMessages(p, { queueName: q.name, waitSeconds: 4 });
        return got?.id === sent?.id ? "delivered" : "missed";
      }),
    );
    expect(outcomes.filter((o) => o === "missed").length).toBe(0);
  });
});
