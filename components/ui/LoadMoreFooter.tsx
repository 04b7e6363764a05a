import type { ReactNode } from "react";
import { Button } from "./Button";

/** Under a list that loads page after page: what is shown, and a button for the next page while there is one. */
export function LoadMoreFooter({
  shown,
  shownTestId,
  pages,
  label,
  testId,
}: {
  shown: ReactNode;
  shownTestId?: string;
  pages: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown };
  label: string;
  testId: string;
}) {
  return (
    <div className="list-footer">
      <span className="muted small" data-testid={shownTestId}>
        {shown}
      </span>
      {pages.hasNextPage && (
        <Button
          size="sm"
          onClick={() => pages.fetchNextPage()}
          isPending={pages.isFetchingNextPage}
          data-testid={testId}
        >
          {label}
        </Button>
      )}
    </div>
  );
}
