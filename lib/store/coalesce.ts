// Group commit for the hot path: calls that arrive within one turn of the event loop share one
// statement (so one transaction and one commit), and every caller is answered from that statement's
// outcome only. A caller waits no timer: a lone call goes out on the next setImmediate; under load,
// calls that arrive while the in-flight statements run are gathered into the next one.

export type CoalescerOptions<In, Out> = {
  /** Rows and bytes an item adds to the combined statement (for the caps below). */
  weigh: (item: In) => { rows: number; bytes: number };
  /** Caps of one combined statement; an item larger than a cap still goes, alone. */
  maxRows: number;
  maxBytes: number;
  /** Statements of this coalescer running at once, so it leaves the rest of the pool to others. */
  maxInFlight: number;
  /** One statement for several items; answers in item order. */
  runCombined: (items: In[]) => Promise<Out[]>;
  /** The ordinary statement for one item: used when an item is alone, and to isolate failures. */
  runAlone: (item: In) => Promise<Out>;
  /**
   * Whether a failed combined statement certainly changed nothing and may have failed because of one
   * item's input (the server rejected it, e.g. a queue deleted meanwhile): its items are then split
   * and retried, so each caller gets the error its own statement would have. Anything else (the
   * connection dropped: the commit may or may not have happened) fails every item of the statement.
   */
  canRetrySplit: (error: unknown) => boolean;
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
      void runGroup(group).finally(() => {
        inFlight--;
        schedule();
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

  async function runGroup(group: Pending<In, Out>[]): Promise<void> {
    const [only] = group;
    if (group.length === 1 && only) {
      await options.runAlone(only.item).then(only.resolve, only.reject);
      return;
    }
    let outs: Out[];
    try {
      outs = await options.runCombined(group.map((p) => p.item));
    } catch (error) {
      if (!options.canRetrySplit(error)) {
        for (const p of group) p.reject(error);
        return;
      }
      // Bisect: a bad item costs its valid neighbours a few more statements, not one each.
      const half = Math.ceil(group.length / 2);
      await runGroup(group.slice(0, half));
      await runGroup(group.slice(half));
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
