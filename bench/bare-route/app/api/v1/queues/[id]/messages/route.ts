import { insertMessages } from "@/lib/store/messages";

// POST /api/v1/queues/{queueId}/messages {"messages":[{"body":"…"}, …]} → 201 {"messages":[{"id":"…"}]}
// The same request and response shape as the REST send and the same INSERT (lib/store/messages.ts),
// minus everything else the app does per request: no auth, no schema validation, no queue lookup
// (the queue id is in the path), no long-poll wake-up. What is left is Next's own cost plus `pg`.

type Body = { messages: { body: string }[] };

export async function POST(request: Request, context: { params: Promise<{ id: string }> }) {
  const { id } = await context.params;
  const { messages } = (await request.json()) as Body;
  const ids = await insertMessages(
    id,
    messages.map((m) => ({ body: m.body, delaySeconds: 0, tags: undefined })),
  );
  return Response.json({ messages: ids.map((messageId) => ({ id: messageId })) }, { status: 201 });
}
