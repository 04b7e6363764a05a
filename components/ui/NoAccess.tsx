import { EmptyState } from "./EmptyState";

/** In place of a page the caller's role or policy does not reach: what is missing and whom to ask. */
export function NoAccess({ title, reason, testId = "no-access" }: { title: string; reason: string; testId?: string }) {
  return (
    <div className="card">
      <EmptyState
        testId={testId}
        title={title}
        description={<>{reason} An admin of your account can change your role or policy.</>}
      />
    </div>
  );
}
