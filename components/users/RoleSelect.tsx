import type { FieldControlProps } from "@/components/ui/Field";
import { roleLabels } from "@/lib/client/access";
import type { AssignableRole } from "@/lib/client/users";

const assignableRoles: AssignableRole[] = ["admin", "developer", "readonly"];

type RoleSelectProps = FieldControlProps & {
  value: AssignableRole;
  onChange: (role: AssignableRole) => void;
  /** Why admin cannot be chosen, when it cannot. */
  adminRefusal?: string;
  testId: string;
};

/** The roles one may hand out; admin is offered only to the owner (the option says why not). */
export function RoleSelect({ value, onChange, adminRefusal, testId, ...control }: RoleSelectProps) {
  return (
    <select
      {...control}
      className="select"
      value={value}
      onChange={(e) => onChange(e.target.value as AssignableRole)}
      data-testid={testId}
    >
      {assignableRoles.map((role) => (
        <option key={role} value={role} disabled={role === "admin" && adminRefusal !== undefined}>
          {roleLabels[role]}
          {role === "admin" && adminRefusal ? ` — ${adminRefusal}` : ""}
        </option>
      ))}
    </select>
  );
}
