import { getPool } from "@/lib/db/pool";
import { verifyPushSignature } from "@/lib/push/signature";
import { createPushSubscription, deliveryState, enqueuePush, startReceiver, waitFor } from "@/lib/push/testing";
import { expect, test } from "../fixtures";

// The built app runs the HTTP push worker (instrumentation.ts → lib/workers/push.ts): a pending
// delivery, written here as a publish would write it, reaches a local receiver signed and in CMQ's
// format, and its attempt is recorded. The worker's rules are tested in lib/push/*.test.ts; this
// proves the wiring in the real server (the front loads the modules twice). The e2e app runs with
// OPENCMQ_PUSH_ALLOW_PRIVATE=on (e2e/global-setup.ts) to reach 127.0.0.1.

test("the app pushes a pending delivery to its HTTP endpoint and records the attempt", async () => {
  const receiver = await startReceiver(() => 200);
  try {
    const subscription = await createPushSubscription({ endpoint: receiver.url, secret: "e2e-push-secret" });
    const { messageId, deliveryId } = await enqueuePush(subscription, { body: "from e2e", tags: ["e2e"] });
    // No publish woke the worker: its poll (1 s by default) finds the row.
    const state = await waitFor(
      async () => {
        const s = await deliveryState(deliveryId);
        return s.status === "pending" ? undefined : s;
      },
      10_000,
      "the push",
    );
    expect(state).toEqual({
      status: "delivered",
      attempts: 1,
      finished: true,
      log: [{ attempt: 1, httpStatus: 200, error: null, hasNextAttempt: false }],
    });
    expect(receiver.received).toHaveLength(1);
    const push = receiver.received[0];
    expect(push?.headers["x-cmq-message-id"]).toBe(messageId);
    expect(push?.headers["x-cmq-message-tag"]).toBe("e2e");
    expect(JSON.parse(push?.body ?? "{}")).toMatchObject({ msgId: messageId, msgBody: "from e2e" });
    expect(
      verifyPushSignature("e2e-push-secret", push?.body ?? "", push?.headers["x-opencmq-signature"] as string),
    ).toBe(true);
  } finally {
    await receiver.close();
    await getPool().query(
      "UPDATE push_delivery SET status = 'dropped' WHERE status = 'pending' AND subscription_id IN (SELECT id FROM subscription WHERE endpoint = $1)",
      [receiver.url],
    );
  }
});
