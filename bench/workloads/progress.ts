import type { Harness } from "../context";
import type { Progress } from "../loop";

// Progress lines while a cell runs: rewritten in place on a terminal, a few lines per cell otherwise.

const int = (n: number) => Math.round(n).toLocaleString("en-US");

export function progressPrinter(h: Harness, label: string, totalSeconds: number) {
  const onProgress = (p: Progress) => {
    const text = `  ${label} ${p.phase} ${p.elapsed.toFixed(0).padStart(3)} s  ${int(p.msgsPerSec).padStart(7)} msgs/s`;
    if (h.isTty) process.stdout.write(`\r${text}   `);
    else console.log(text);
  };
  return {
    onProgress,
    progressEveryMs: h.isTty ? 500 : Math.max(1000, Math.round(totalSeconds * 334)),
    done: () => {
      if (h.isTty) process.stdout.write("\r\x1b[K");
    },
  };
}
