// The fault cases' bookkeeping: every send the API acknowledged (201 with the message's id), every
// delivery (which consumer, when the receive was asked and answered, the lease it asked for), every
// delete the API acknowledged, and every error a client saw. From it: what was lost (acknowledged,
// never delivered), what was delivered twice and why, and how long the service took to recover.

export type Delivery = {
  consumer: string;
  /** Client clock: when the receive was sent and when it was answered (same machine as the server). */
  askedAt: number;
  answeredAt: number;
  leaseMs: number;
  dequeueCount: number;
  /** When its delete was sent (set before the request: the row may be gone from then on). */
  deleteAskedAt?: number;
  /** What became of this delivery's delete. */
  deleted?: { ok: true; at: number } | { ok: false; why: string };
};

export class Ledger {
  /** Acknowledged sends: id → body and the moment the 201 arrived. */
  readonly acked = new Map<string, { body: string; at: number; askedAt: number }>();
  /** Bodies of sends that failed or got no answer: their fate is unknown (not acknowledged). */
  readonly unacknowledgedBodies = new Set<string>();
  readonly deliveries = new Map<string, Delivery[]>();
  /** Deliveries so far (every receive of every message, repeats included). */
  delivered = 0;
  /** Bodies delivered that were never acknowledged (a send whose answer was lost). */
  readonly unacknowledgedDelivered = new Set<string>();
  readonly errors = new Map<string, number>();
  /** Answers a client must not see even in an outage (anything but success, 503 or a lost connection). */
  readonly nonRetryable: string[] = [];
  /** Times of acknowledged sends and of answered receives: when did service come back. */
  readonly sendAcks: { askedAt: number; at: number }[] = [];

  error(kind: string) {
    this.errors.set(kind, (this.errors.get(kind) ?? 0) + 1);
  }

  /** Ids delivered with another body than the one acknowledged for them (an id handed out twice). */
  readonly bodyMismatches = new Set<string>();

  deliver(id: string, body: string, delivery: Delivery) {
    const acked = this.acked.get(id);
    if (acked && acked.body !== body) this.bodyMismatches.add(id);
    const list = this.deliveries.get(id) ?? [];
    list.push(delivery);
    this.delivered++;
    this.deliveries.set(id, list);
    if (!this.acked.has(id) && this.unacknowledgedBodies.has(body)) this.unacknowledgedDelivered.add(body);
  }

  /** The first acknowledged send asked after `t`: when, and how long after `t` it was answered. */
  recoveryAfter(t: number): number | null {
    const first = this.sendAcks.filter((a) => a.askedAt >= t).sort((a, b) => a.at - b.at)[0];
    return first ? first.at - t : null;
  }

  /** The longest stretch with no acknowledged send, within [from, to]. */
  longestSendGap(from: number, to: number): number {
    const times = this.sendAcks.map((a) => a.at).filter((t) => t >= from && t <= to);
    times.sort((a, b) => a - b);
    let gap = 0;
    let last = from;
    for (const t of [...times, to]) {
      gap = Math.max(gap, t - last);
      last = t;
    }
    return gap;
  }

  summary(options: { doomedConsumer?: string } = {}): Summary {
    let received = 0;
    const lost: string[] = [];
    const duplicateReasons = new Map<string, number>();
    const withinLease: string[] = [];
    const afterDelete: string[] = [];
    let duplicated = 0;
    for (const [id] of this.acked) {
      const list = this.deliveries.get(id);
      if (!list?.length) {
        lost.push(id);
        continue;
      }
      received++;
      if (list.length > 1) duplicated++;
      const ordered = [...list].sort((a, b) => a.answeredAt - b.answeredAt);
      for (let i = 1; i < ordered.length; i++) {
        const previous = ordered[i - 1] as Delivery;
        const next = ordered[i] as Delivery;
        // The previous lease ended no earlier than askedAt + lease (the server's now() is later):
        // a delivery answered before that was certainly within the lease.
        const isWithinLease = next.answeredAt < previous.askedAt + previous.leaseMs;
        if (isWithinLease) withinLease.push(id);
        else if (previous.deleted?.ok) afterDelete.push(id);
        const why = isWithinLease
          ? "DELIVERED AGAIN WITHIN ITS LEASE"
          : previous.consumer === options.doomedConsumer
            ? "consumer died holding the lease; delivered again after it"
            : previous.deleted === undefined
              ? "lease expired: the receive's answer was lost or the delete never sent"
              : previous.deleted.ok
                ? "DELIVERED AFTER AN ACKNOWLEDGED DELETE"
                : `lease expired: delete not acknowledged (${previous.deleted.why})`;
        duplicateReasons.set(why, (duplicateReasons.get(why) ?? 0) + 1);
      }
    }
    for (const [id, list] of this.deliveries) {
      if (this.acked.has(id)) continue;
      if (list.length > 1) {
        const ordered = [...list].sort((a, b) => a.answeredAt - b.answeredAt);
        for (let i = 1; i < ordered.length; i++) {
          const previous = ordered[i - 1] as Delivery;
          if ((ordered[i] as Delivery).answeredAt < previous.askedAt + previous.leaseMs) withinLease.push(id);
        }
      }
    }
    return {
      acknowledged: this.acked.size,
      received,
      lost,
      duplicated,
      duplicateReasons,
      withinLease,
      afterDelete,
      unacknowledgedSends: this.unacknowledgedBodies.size,
      unacknowledgedDelivered: this.unacknowledgedDelivered.size,
      errors: new Map(this.errors),
      nonRetryable: [...this.nonRetryable],
      bodyMismatches: this.bodyMismatches.size,
    };
  }
}

export type Summary = {
  acknowledged: number;
  received: number;
  lost: string[];
  duplicated: number;
  duplicateReasons: Map<string, number>;
  /** Delivered again while an earlier lease certainly held: never allowed. */
  withinLease: string[];
  /** Delivered again after its delete was acknowledged: never allowed. */
  afterDelete: string[];
  unacknowledgedSends: number;
  unacknowledgedDelivered: number;
  errors: Map<string, number>;
  nonRetryable: string[];
  bodyMismatches: number;
};

export type Check = { ok: boolean; what: string };

/** What every case must show, fault or not. */
export function ledgerChecks(s: Summary): Check[] {
  return [
    { ok: s.acknowledged >= 50, what: `a real load (${s.acknowledged} acknowledged sends ≥ 50)` },
    { ok: s.lost.length === 0, what: "no acknowledged message lost" },
    { ok: s.withinLease.length === 0, what: "none delivered twice within a lease" },
    { ok: s.afterDelete.length === 0, what: "none delivered after an acknowledged delete" },
    { ok: s.bodyMismatches === 0, what: "every id delivered with the body acknowledged for it" },
    {
      ok: s.nonRetryable.length === 0,
      what: `clients saw only retryable failures (503, lost connection, no answer)${s.nonRetryable.length ? `: ${[...new Set(s.nonRetryable)].join(", ")}` : ""}`,
    },
  ];
}
