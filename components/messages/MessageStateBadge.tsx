import { Badge, type BadgeTone } from "@/components/ui/Badge";
import type { PeekedMessage } from "@/lib/schemas/message";

const looks: Record<PeekedMessage["state"], { label: string; tone: BadgeTone }> = {
  visible: { label: "Visible", tone: "green" },
  inFlight: { label: "In flight", tone: "blue" },
  delayed: { label: "Delayed", tone: "amber" },
};

export function MessageStateBadge({ state }: { state: PeekedMessage["state"] }) {
  const { label, tone } = looks[state];
  return (
    <Badge tone={tone} data-testid="message-state">
      {label}
    </Badge>
  );
}
