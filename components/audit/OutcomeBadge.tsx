import { Badge, type BadgeTone } from "@/components/ui/Badge";

const looks: Record<string, { label: string; tone: BadgeTone }> = {
  success: { label: "Success", tone: "green" },
  denied: { label: "Denied", tone: "amber" },
  failure: { label: "Failure", tone: "red" },
};

export function OutcomeBadge({ outcome }: { outcome: string }) {
  const { label, tone } = looks[outcome] ?? { label: outcome, tone: "neutral" };
  return (
    <Badge tone={tone} data-testid="audit-outcome">
      {label}
    </Badge>
  );
}
