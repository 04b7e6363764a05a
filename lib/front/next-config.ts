import type { IncomingMessage, ServerResponse } from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import {
  NEXT_ROUTER_PREFETCH_HEADER,
  NEXT_ROUTER_SEGMENT_PREFETCH_HEADER,
  NEXT_ROUTER_STATE_TREE_HEADER,
  RSC_HEADER,
} from "next/dist/client/components/app-router-headers";
import compression from "next/dist/compiled/compression";

// What Next adds to a route handler's response, for the responses the front writes itself: the
// `headers()` rules of next.config.js (still their one source), the Vary header Next sets on every
// App Router response, and Next's own compression middleware (unless `compress: false`).

type HeaderRule = { source: string; headers: { key: string; value: string }[] };
type NextConfigFile = { headers?: () => Promise<HeaderRule[]>; compress?: boolean };
type Middleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

export type ResponseDressing = {
  /** Header pairs for a path, in next.config.js's order. */
  headersFor(pathname: string): ReadonlyArray<readonly [string, string]>;
  /** Wraps `res` so that what is written is compressed as Next would (a no-op when disabled). */
  compress(req: IncomingMessage, res: ServerResponse): void;
};

const appRouterVary = [
  RSC_HEADER,
  NEXT_ROUTER_STATE_TREE_HEADER,
  NEXT_ROUTER_PREFETCH_HEADER,
  NEXT_ROUTER_SEGMENT_PREFETCH_HEADER,
].join(", ");

/** Reads `<dir>/next.config.js`; header sources must be of the form `/prefix/:path*` (others throw). */
export async function loadResponseDressing(dir: string): Promise<ResponseDressing> {
  const config = createRequire(path.join(dir, "package.json"))("./next.config.js") as NextConfigFile;
  const rules = ((await config.headers?.()) ?? []).map(toPrefixRule);
  const middleware: Middleware | undefined = config.compress === false ? undefined : compression();
  return {
    // Three rules today: matching them per response costs less than caching by path would.
    headersFor: (pathname) => [
      ...rules.filter((rule) => rule.matches(pathname)).flatMap((rule) => rule.headers),
      ["vary", appRouterVary] as const,
    ],
    compress: (req, res) => middleware?.(req, res, () => {}),
  };
}

function toPrefixRule(rule: HeaderRule) {
  const match = /^(.*)\/:path\*$/.exec(rule.source);
  if (!match) throw new Error(`next.config.js header source ${rule.source} is not of the form /prefix/:path*`);
  const prefix = match[1] as string;
  return {
    // "/:path*" matches every path; "/api/:path*" matches /api and everything under it.
    matches: (pathname: string) => prefix === "" || pathname === prefix || pathname.startsWith(`${prefix}/`),
    headers: rule.headers.map(({ key, value }) => [key.toLowerCase(), value] as const),
  };
}
