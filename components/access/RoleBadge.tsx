import { Badge, type BadgeTone } from "@/components/ui/Badge";
import type { Role } from "@/lib/auth/permissions";
import { roleDescriptions, roleLabels } from "@/lib/client/access";

const tones: Record<Role, BadgeTone> = { owner: "blue", admin: "amber", developer: "green", readonly: "neutral" };

export function RoleBadge({ role }: { role: Role }) {
  return (
    <span title={roleDescriptions[role]}>
      <Badge tone={tones[role]} data-testid="role-badge">
        {roleLabels[role]}
      </Badge>
    </span>
  );
}
