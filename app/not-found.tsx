// Any URL nothing answers: a styled page with a way back, instead of Next's bare 404. Plain links
// (full page loads): the way back may have to pass through sign-in.
export default function NotFound() {
  return (
    <main className="standalone-page">
      <div className="standalone-card">
        <p className="standalone-code">404</p>
        <h1>This page does not exist</h1>
        <p className="muted">
          The address may be mistyped, or what it pointed to was deleted or is not visible to you.
        </p>
        <div className="standalone-actions">
          <a href="/queues" className="btn btn-primary">
            Go to queues
          </a>
          <a href="/account" className="btn btn-secondary">
            Your account
          </a>
        </div>
      </div>
    </main>
  );
}
