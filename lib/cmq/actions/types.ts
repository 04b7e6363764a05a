import type { Principal } from "@/lib/auth/principal";
import type { CmqParams } from "../params";

export type ActionContext = { principal: Principal; params: CmqParams; signal: AbortSignal };
/** An action returns the fields of a successful response (beside code, message and requestId). */
export type Action = (ctx: ActionContext) => Promise<Record<string, unknown>>;

/** Unix seconds, as CMQ's responses carry times. */
export const unixSeconds = (iso: string | Date | null | undefined): number =>
  iso ? Math.floor(new Date(iso).getTime() / 1000) : 0;
