import { Button } from "@/components/ui/Button";
import { SecretField } from "@/components/ui/SecretField";
import type { CreatedApiKey } from "@/lib/client/api-keys";

/**
 * The one showing of a new key's SecretKey. It lives in page state only: dismissing, leaving or
 * reloading the page loses it for good (the server stores it sealed and never returns it again).
 */
export function NewApiKeyPanel({ apiKey, onDismiss }: { apiKey: CreatedApiKey; onDismiss: () => void }) {
  return (
    <section className="card card-padded secret-panel" data-testid="new-api-key-panel" aria-labelledby="new-key-title">
      <div className="card-header">
        <h2 className="card-title" id="new-key-title">
          New API key{apiKey.description ? `: ${apiKey.description}` : ""}
        </h2>
      </div>
      <p className="notice notice-warning" role="alert">
        Copy the SecretKey now. It is shown only this once — after you leave or reload this page it cannot be shown
        again, and a lost SecretKey means creating a new key.
      </p>
      <div className="secret-grid">
        <SecretField label="SecretId" value={apiKey.secretId} testId="new-secret-id" />
        <SecretField label="SecretKey" value={apiKey.secretKey} testId="new-secret-key" />
      </div>
      <p className="muted small">
        Use them as HTTP Basic credentials for the REST API (<span className="mono">SecretId:SecretKey</span>) or to
        sign CMQ API requests with Tencent’s SDKs.
      </p>
      <div className="form-actions">
        <Button variant="primary" onClick={onDismiss} data-testid="dismiss-new-api-key">
          I have stored it
        </Button>
      </div>
    </section>
  );
}
