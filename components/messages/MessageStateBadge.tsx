import { Badge, type BadgeTone } from "@/components/ui/Badge";
import type { PeekedMessage } from "@/lib/schemas/peek";

const looks: Record<PeekedMessage["state"], { label: string; tone: BadgeTone }> = {
  visible: { label: "Visible", tone: "green" },
  inFlight: { label: "In flight", tone: "blue" },
  delayed: { label: "Delayed", tone: "amber" },
  rewindable: { label: "Rewindable", tone: "neutral" },
};

/** The delivery state, and "Dead" beside it for a message that died and sits in its dead-letter queue. */
export function MessageStateBadge({ message }: { message: Pick<PeekedMessage, "state" | "isDead"> }) {
  const { label, tone } = looks[message.state];
  return (
    <span className="state-badges">
      <Badge tone={tone} data-testid="message-state">
        {label}
      </Badge>
      {message.isDead && (
        <Badge tone="red" data-testid="message-dead">
          Dead
        </Badge>
      )}
    </span>
  );
}
