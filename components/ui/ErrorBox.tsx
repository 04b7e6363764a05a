import { isApiError } from "@/lib/client/api-client";
import { Button } from "./Button";

type ErrorBoxProps = { error: unknown; title?: string; onRetry?: () => void; isRetrying?: boolean };

/** An API failure as the user should see it: the server's own message, its code, and a way to retry. */
export function ErrorBox({ error, title = "Something went wrong", onRetry, isRetrying }: ErrorBoxProps) {
  const message = error instanceof Error ? error.message : "An unexpected error occurred.";
  return (
    <div className="error-box" role="alert" data-testid="error-box">
      <div>
        <p className="error-box-title">{title}</p>
        <p className="error-box-message">
          {message}
          {isApiError(error) && <code className="error-box-code">{error.code}</code>}
        </p>
      </div>
      {onRetry && (
        <Button size="sm" onClick={onRetry} isPending={isRetrying}>
          Retry
        </Button>
      )}
    </div>
  );
}
