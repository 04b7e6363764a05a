import type { ReactNode } from "react";

export type BadgeTone = "neutral" | "green" | "amber" | "blue" | "red";

export function Badge({
  tone = "neutral",
  children,
  ...rest
}: { tone?: BadgeTone; children: ReactNode } & {
  "data-testid"?: string;
}) {
  return (
    <span className={`badge badge-${tone}`} {...rest}>
      {children}
    </span>
  );
}
