import { parseOrThrow } from "@/lib/api/validation";
import { isStorableInstant } from "@/lib/schemas/ids";
import { rewindQueueSchema } from "@/lib/schemas/rewind";
import { rewindQueue } from "@/lib/services/rewind";
import { CmqError } from "../errors";
import type { Action } from "./types";

// RewindQueue (reference/cmq-api.md §3): queueName, startConsumeTime in unix seconds. The answer
// carries no count in CMQ; ours adds `rewound` beside code, message and requestId.
export const rewindQueueAction: Action = async ({ principal, params }) => {
  const queueName = params.string("queueName");
  const seconds = params.int("startConsumeTime");
  const instant = new Date(seconds * 1000);
  // A time no clock can show is outside every rewind window (CMQ's 10680), not a malformed parameter.
  if (Number.isNaN(instant.getTime()) || !isStorableInstant(instant.toISOString())) {
    throw new CmqError("REWIND_TIME_OUT_OF_RANGE", "startConsumeTime is outside the queue's rewind window");
  }
  const input = parseOrThrow(rewindQueueSchema, { startConsumeTime: instant.toISOString() }, "parameters");
  const { rewound } = await rewindQueue(principal, { queueName, ...input });
  return { rewound };
};
