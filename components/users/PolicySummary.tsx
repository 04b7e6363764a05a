import type { Role, Statement } from "@/lib/auth/permissions";

/** A user's policy in a table cell: one line per statement, or what having none means. */
export function PolicySummary({ role, statements }: { role: Role; statements: Statement[] }) {
  if (role === "owner") return <span className="muted">Everything (owner)</span>;
  if (statements.length === 0) {
    return (
      <span className="muted" title="No statements: the role applies to every queue and topic.">
        Whole role, all resources
      </span>
    );
  }
  return (
    <ul className="policy-summary" data-testid="policy-summary">
      {statements.map((s, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: statements are ordered and have no identity of their own
        <li key={index}>
          <span className={`policy-effect policy-effect-${s.effect}`}>{s.effect === "allow" ? "Allow" : "Deny"}</span>{" "}
          <span className="mono">{s.actions.join(", ")}</span> <span className="muted">on</span>{" "}
          <span className="mono">{s.resources.join(", ")}</span>
        </li>
      ))}
    </ul>
  );
}
