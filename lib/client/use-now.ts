import { useEffect, useState } from "react";

/** The current time, re-read every `intervalMs`, so "in 25 s" keeps counting while nothing refetches. */
export function useNow(intervalMs = 1_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
