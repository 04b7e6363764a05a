import type { NextRequest } from "next/server";
import * as deleteRoute from "@/app/api/v1/queues/[name]/messages/delete/route";
import * as receiveRoute from "@/app/api/v1/queues/[name]/messages/receive/route";
import * as messagesRoute from "@/app/api/v1/queues/[name]/messages/route";
import * as topicMessagesRoute from "@/app/api/v1/topics/[name]/messages/route";
import * as rootRoute from "@/app/route";
import * as cmqRoute from "@/app/v2/index.php/route";

// The data plane's paths, answered by the front itself: the same exported route handlers Next
// would call for them (one implementation of each endpoint), without Next's router in between.
// Everything else, and anything here the table does not recognise exactly, goes to Next.

type Handler = (req: NextRequest, segment: { params: Promise<Record<string, string>> }) => Promise<Response> | Response;
type RouteModule = Partial<Record<string, Handler>>;

export type FastRoute = { handler: Handler; params: Record<string, string> };

// Queue names are letters, digits, "-" and "_": such a segment reads the same before and after
// Next's decoding and normalising, so matching the raw path is matching Next's route. A name with
// any other character (%-escapes, dots) is invalid anyway and takes Next's path to its answer.
const messagePaths = /^\/api\/v1\/queues\/([A-Za-z0-9_-]{1,128})\/messages(?:\/(receive|delete))?$/;
// Publishing (and a topic's retained messages): topic names follow the queue naming rule.
const topicMessagePaths = /^\/api\/v1\/topics\/([A-Za-z0-9_-]{1,128})\/messages$/;
const messageRoutes: Record<string, RouteModule> = {
  "": messagesRoute,
  receive: receiveRoute,
  delete: deleteRoute,
};

/** The fast route for a request, or undefined when Next should answer it. */
export function fastRoute(method: string, url: string): FastRoute | undefined {
  const queryAt = url.indexOf("?");
  const path = queryAt < 0 ? url : url.slice(0, queryAt);
  if (path === "/v2/index.php") return exported(cmqRoute, method, {});
  if (path === "/") {
    // GET / is the console's front door unless it carries a CMQ action.
    if (method === "GET" && !new URLSearchParams(queryAt < 0 ? "" : url.slice(queryAt)).has("Action")) return;
    return exported(rootRoute, method, {});
  }
  const topicMatch = topicMessagePaths.exec(path);
  if (topicMatch) return exported(topicMessagesRoute, method, { name: topicMatch[1] as string });
  const match = messagePaths.exec(path);
  const routeModule = match && messageRoutes[match[2] ?? ""];
  return routeModule ? exported(routeModule, method, { name: match[1] as string }) : undefined;
}

// HEAD and OPTIONS, which Next derives for a route, and any method a module does not export stay with Next.
function exported(routeModule: RouteModule, method: string, params: Record<string, string>): FastRoute | undefined {
  const handler = routeModule[method];
  return typeof handler === "function" ? { handler, params } : undefined;
}
