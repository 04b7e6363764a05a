import { methodNotAllowed, route } from "@/lib/api/route";
import { pushSecretSchema } from "@/lib/schemas/topic";
import { getPushSecret } from "@/lib/services/subscriptions";

// GET /api/v1/topics/{name}/subscriptions/{sub}/secret — the key an HTTP subscription's pushes are signed with
export const GET = route({ response: pushSecretSchema }, ({ principal, params }) =>
  getPushSecret(principal, { topicName: params.name ?? "", subscriptionName: params.sub ?? "" }),
);

export const POST = methodNotAllowed("GET");
export const PUT = methodNotAllowed("GET");
export const PATCH = methodNotAllowed("GET");
export const DELETE = methodNotAllowed("GET");
