import { type DeadLetter, type DeadLetterInput, deadLetterInputSchema, deadLetterPolicies } from "@/lib/schemas/queue";
import { cmqErrors } from "../errors";
import type { CmqParams } from "../params";

// CMQ's deadLetterPolicy parameter: JSON text {deadLetterQueue, policy 0|1, maxReceiveCount,
// maxTimeToLive} (reference/cmq-api.md §3), refused with CMQ's own module codes (10710 not JSON,
// 10760 no deadLetterQueue, 10770 policy not 0/1, 10720 anything else), then checked by the same
// schema as REST's deadLetter; the service adds the rules that need the database.

const policyKeys = new Set(["deadLetterQueue", "policy", "maxReceiveCount", "maxTimeToLive"]);

/** A JSON number or a decimal string of one (hand-written JSON often quotes them); else as given. */
const numberOf = (value: unknown) => (typeof value === "string" && /^-?\d{1,15}$/.test(value) ? Number(value) : value);

/** The deadLetterPolicy parameter as REST's deadLetter, or undefined when it is absent. */
export function deadLetterPolicyParam(params: CmqParams): DeadLetterInput | undefined {
  const text = params.optionalString("deadLetterPolicy");
  if (text === undefined) return undefined;
  let policy: unknown;
  try {
    policy = JSON.parse(text);
  } catch {
    throw cmqErrors.deadLetterPolicyNotJson();
  }
  if (typeof policy !== "object" || policy === null || Array.isArray(policy)) throw cmqErrors.deadLetterPolicyNotJson();
  const fields = policy as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((key) => !policyKeys.has(key));
  if (unknown.length > 0) throw cmqErrors.deadLetterPolicyInvalid(`unknown key ${unknown.join(", ")}`);
  if (fields.deadLetterQueue === undefined || fields.deadLetterQueue === "") throw cmqErrors.deadLetterQueueMissing();
  const policyNumber = numberOf(fields.policy);
  if (policyNumber !== 0 && policyNumber !== 1) throw cmqErrors.deadLetterPolicyUnknown();
  const parsed = deadLetterInputSchema.safeParse({
    queue: fields.deadLetterQueue,
    policy: deadLetterPolicies[policyNumber],
    maxReceiveCount: numberOf(fields.maxReceiveCount),
    maxTimeToLive: numberOf(fields.maxTimeToLive),
  });
  if (!parsed.success) {
    const names: Record<string, string> = { queue: "deadLetterQueue", policy: "policy" };
    const why = parsed.error.issues
      .map((i) => `${i.path.map((p) => names[String(p)] ?? String(p)).join(".")}: ${i.message}`)
      .join("; ");
    throw cmqErrors.deadLetterPolicyInvalid(why);
  }
  return parsed.data;
}

/**
 * GetQueueAttributes' deadLetterPolicy: deadLetterQueue is the DLQ's id (as CMQ answers it), with
 * its name beside it; absent when the queue has no dead-letter queue.
 */
export const deadLetterPolicyField = (deadLetter: DeadLetter | null) =>
  deadLetter
    ? {
        deadLetterPolicy: {
          deadLetterQueue: deadLetter.queueId,
          deadLetterQueueName: deadLetter.queue,
          policy: deadLetterPolicies.indexOf(deadLetter.policy),
          maxReceiveCount: deadLetter.maxReceiveCount ?? 0,
          maxTimeToLive: deadLetter.maxTimeToLive ?? 0,
        },
      }
    : {};
