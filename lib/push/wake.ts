// Called after a publish that created push deliveries commits, so the push worker looks now instead
// of at its next tick. The push worker (issue 11) replaces this placeholder.
export function wakePushWorker(): void {}
