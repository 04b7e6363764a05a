import { describe, expect, it } from "vitest";
import { type Delivery, Ledger } from "./ledger";

// The fault suite's verdicts come from the ledger: a bookkeeping slip here would pass a lossy run.

const delivery = (over: Partial<Delivery> & { askedAt: number }): Delivery => ({
  consumer: "c0",
  answeredAt: over.askedAt + 5,
  leaseMs: 1000,
  dequeueCount: 1,
  ...over,
});

function ledgerWith(ids: string[]) {
  const ledger = new Ledger();
  for (const id of ids) ledger.acked.set(id, { body: `b${id}`, at: 0, askedAt: 0 });
  return ledger;
}

describe("the fault suite's ledger", () => {
  it("lost: acknowledged and never delivered", () => {
    const ledger = ledgerWith(["1", "2", "3"]);
    ledger.deliver("1", "b1", delivery({ askedAt: 10, deleted: { ok: true, at: 20 } }));
    ledger.deliver("3", "b3", delivery({ askedAt: 10, deleted: { ok: true, at: 20 } }));
    const s = ledger.summary();
    expect([s.acknowledged, s.received, s.lost, s.duplicated]).toEqual([3, 2, ["2"], 0]);
  });

  it("a second delivery after the lease is a duplicate with its reason; within the lease, a violation", () => {
    const ledger = ledgerWith(["1", "2", "3"]);
    // 1: delete failed with a 503, delivered again after the lease.
    ledger.deliver("1", "b1", delivery({ askedAt: 0, deleted: { ok: false, why: "503 UNAVAILABLE" } }));
    ledger.deliver("1", "b1", delivery({ askedAt: 1200, dequeueCount: 2 }));
    // 2: delivered again 500 ms into a 1 s lease.
    ledger.deliver("2", "b2", delivery({ askedAt: 0 }));
    ledger.deliver("2", "b2", delivery({ askedAt: 400, consumer: "c1" }));
    // 3: delivered again after an acknowledged delete.
    ledger.deliver("3", "b3", delivery({ askedAt: 0, deleted: { ok: true, at: 10 } }));
    ledger.deliver("3", "b3", delivery({ askedAt: 2000 }));
    const s = ledger.summary();
    expect(s.duplicated).toBe(3);
    expect(s.withinLease).toEqual(["2"]);
    expect(s.afterDelete).toEqual(["3"]);
    expect(Object.fromEntries(s.duplicateReasons)).toEqual({
      "lease expired: delete not acknowledged (503 UNAVAILABLE)": 1,
      "DELIVERED AGAIN WITHIN ITS LEASE": 1,
      "DELIVERED AFTER AN ACKNOWLEDGED DELETE": 1,
    });
  });

  it("a dead consumer's messages are put down to it", () => {
    const ledger = ledgerWith(["1"]);
    ledger.deliver("1", "b1", delivery({ askedAt: 0, consumer: "doomed" }));
    ledger.deliver("1", "b1", delivery({ askedAt: 1500, deleted: { ok: true, at: 1600 } }));
    expect(Object.fromEntries(ledger.summary({ doomedConsumer: "doomed" }).duplicateReasons)).toEqual({
      "consumer died holding the lease; delivered again after it": 1,
    });
  });

  it("unacknowledged sends that arrived are counted apart, not as duplicates; a body under another id is caught", () => {
    const ledger = ledgerWith(["1"]);
    ledger.unacknowledgedBodies.add("lost-answer");
    ledger.deliver("9", "lost-answer", delivery({ askedAt: 0 }));
    ledger.deliver("1", "not-b1", delivery({ askedAt: 0 }));
    const s = ledger.summary();
    expect([s.unacknowledgedSends, s.unacknowledgedDelivered, s.duplicated, s.bodyMismatches]).toEqual([1, 1, 0, 1]);
  });

  it("recovery: the first acknowledged send asked after the fault; the longest stretch without one", () => {
    const ledger = new Ledger();
    ledger.sendAcks.push(
      { askedAt: 0, at: 10 },
      { askedAt: 95, at: 150 },
      { askedAt: 200, at: 260 },
      { askedAt: 300, at: 310 },
    );
    expect(ledger.recoveryAfter(100)).toBe(160);
    expect(ledger.recoveryAfter(400)).toBeNull();
    expect(ledger.longestSendGap(100, 400)).toBe(110);
  });
});
