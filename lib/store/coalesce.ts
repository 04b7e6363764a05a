// Group commit for the hot path: calls that arrive within one turn of the event loop share one
// statement (so one transaction and one commit), and every caller is answered from that statement's
// outcome only. A caller waits no timer: a lone call goes out on the next setImmediate (as a
// combined statement of one); under load, calls that arrive while the in-flight statements run are
// gathered into the next one.

/** What to do with the items of a combined statement that failed (see `onCombinedError`). */
export type CombinedFailure = "split" | "solo" | "fail";

export type CoalescerOptions<In, Out> = {
  /** Rows and bytes an item adds to the combined statement (for the caps below). */
  weigh: (item: In) => { rows: number; bytes: number };
  /** What an item's failure may depend on (its queue): a failed statement is split along it first. */
  keyOf: (item: In) => string;
  /** Caps of one combined statement; an item larger than a cap still goes, alone. */
  maxRows: number;
  maxBytes: number;
  /** Combined statements running at once, so the coalescer leaves the rest of the pool to others. */
  maxInFlight: number;
  /** One statement for several items; answers in item order. */
  runCombined: (items: In[]) => Promise<Out[]>;
  /** The ordinary statement for one item, exactly as without coalescing (for items set apart). */
  runAlone: (item: In) => Promise<Out>;
  /**
   * A combined statement failed. "split": the server refused it (so it changed nothing), maybe for
   * one item's input — retry its items in smaller statements, down to each alone, so every caller
   * gets the answer its own statement would have. "solo": it gave up waiting for a lock one key
   * needs — send each item of that key on its own, outside this coalescer's budget, as without
   * coalescing. "fail": anything else (the connection dropped: the commit may or may not have
   * happened) — every item of the statement fails with that error.
   */
  onCombinedError: (error: unknown) => CombinedFailure;
};

type Pending<In, Out> = {
  item: In;
  rows: number;
  bytes: number;
  resolve: (out: Out) => void;
  reject: (error: unknown) => void;
};

export function createCoalescer<In, Out>(options: CoalescerOptions<In, Out>): (item: In) => Promise<Out> {
  const waiting: Pending<In, Out>[] = [];
  let inFlight = 0;
  let isScheduled = false;

  const schedule = () => {
    if (isScheduled || inFlight >= options.maxInFlight || waiting.length === 0) return;
    isScheduled = true;
    setImmediate(flush);
  };

  function flush() {
    isScheduled = false;
    while (inFlight < options.maxInFlight && waiting.length > 0) {
      const group = takeGroup();
      inFlight++;
      const solo: Pending<In, Out>[] = [];
      void runGroup(group, solo).finally(() => {
        inFlight--;
        schedule();
        // Items that must wait for a lock wait in their own statements, without holding a slot.
        for (const p of solo) void options.runAlone(p.item).then(p.resolve, p.reject);
      });
    }
  }

  function takeGroup(): Pending<In, Out>[] {
    const group: Pending<In, Out>[] = [];
    let rows = 0;
    let bytes = 0;
    for (const next of waiting) {
      if (group.length > 0 && (rows + next.rows > options.maxRows || bytes + next.bytes > options.maxBytes)) break;
      group.push(next);
      rows += next.rows;
      bytes += next.bytes;
    }
    waiting.splice(0, group.length);
    return group;
  }

  /** Runs a group as one statement; on a refusal, splits it by key, then in halves. */
  async function runGroup(group: Pending<In, Out>[], solo: Pending<In, Out>[]): Promise<void> {
    let outs: Out[];
    try {
      outs = await options.runCombined(group.map((p) => p.item));
    } catch (error) {
      const failure = options.onCombinedError(error);
      const keys = new Set(group.map((p) => options.keyOf(p.item)));
      if (failure === "fail") {
        for (const p of group) p.reject(error);
      } else if (keys.size > 1) {
        for (const key of keys) {
          await runGroup(
            group.filter((p) => options.keyOf(p.item) === key),
            solo,
          );
        }
      } else if (failure === "solo" || group.length === 1) {
        solo.push(...group);
      } else {
        // Bisect: a bad item costs its valid neighbours a few more statements, not one each.
        const half = Math.ceil(group.length / 2);
        await runGroup(group.slice(0, half), solo);
        await runGroup(group.slice(half), solo);
      }
      return;
    }
    group.forEach((p, i) => {
      p.resolve(outs[i] as Out);
    });
  }

  return (item) =>
    new Promise<Out>((resolve, reject) => {
      const { rows, bytes } = options.weigh(item);
      waiting.push({ item, rows, bytes, resolve, reject });
      schedule();
    });
}
