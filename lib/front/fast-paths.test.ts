import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import * as deleteRoute from "@/app/api/v1/queues/[name]/messages/delete/route";
import * as receiveRoute from "@/app/api/v1/queues/[name]/messages/receive/route";
import * as messagesRoute from "@/app/api/v1/queues/[name]/messages/route";
import * as topicMessagesRoute from "@/app/api/v1/topics/[name]/messages/route";
import * as rootRoute from "@/app/route";
import * as cmqRoute from "@/app/v2/index.php/route";
import { fastRoute } from "./fast-paths";

describe("the front's table of fast paths", () => {
  test.each([
    ["POST", "/api/v1/queues/orders-1_A/messages", messagesRoute.POST, { name: "orders-1_A" }],
    ["GET", "/api/v1/queues/orders/messages?state=visible&limit=5", messagesRoute.GET, { name: "orders" }],
    ["DELETE", "/api/v1/queues/orders/messages", messagesRoute.DELETE, { name: "orders" }],
    ["POST", "/api/v1/queues/orders/messages/receive", receiveRoute.POST, { name: "orders" }],
    ["GET", "/api/v1/queues/orders/messages/receive", receiveRoute.GET, { name: "orders" }],
    ["POST", "/api/v1/queues/orders/messages/delete", deleteRoute.POST, { name: "orders" }],
    ["POST", "/api/v1/topics/orders-1_A/messages", topicMessagesRoute.POST, { name: "orders-1_A" }],
    ["GET", "/api/v1/topics/orders/messages?limit=5", topicMessagesRoute.GET, { name: "orders" }],
    ["POST", "/v2/index.php", cmqRoute.POST, {}],
    ["GET", "/v2/index.php?Action=ListQueue&Nonce=1", cmqRoute.GET, {}],
    ["PUT", "/v2/index.php", cmqRoute.PUT, {}],
    ["POST", "/", rootRoute.POST, {}],
    ["POST", "/?x=1", rootRoute.POST, {}],
    ["GET", "/?Action=ListQueue", rootRoute.GET, {}],
  ])("%s %s goes to the route handler Next would call", (method, url, handler, params) => {
    expect(fastRoute(method, url)).toEqual({ handler, params });
  });

  test.each([
    ["GET", "/"], // the console's front door (a redirect Next answers)
    ["GET", "/?action=ListQueue"], // Next's route looks for "Action" exactly
    ["HEAD", "/v2/index.php"], // Next derives HEAD and OPTIONS
    ["OPTIONS", "/api/v1/queues/orders/messages"],
    ["POST", "/api/v1/queues/orders/messages/"], // Next redirects a trailing slash
    ["POST", "/api/v1/queues/or%64ers/messages"], // %-escapes: Next decodes (or refuses) them
    ["POST", "/api/v1/queues/../messages"], // dot segments: Next normalises them
    ["POST", "/api/v1/queues/a.b/messages"],
    ["POST", "/api/v1/queues//messages"],
    ["POST", "/api/v1/queues/orders/messages/peek"],
    ["DELETE", "/api/v1/queues/orders/messages/123"], // one message by id: Next's [id] route
    ["POST", "/api/v1/queues/orders/purge"],
    ["POST", "/api/v1/queues/orders"],
    ["POST", "/V2/index.php"], // Next's routes are case-sensitive
    ["POST", "/v2/index.php/"],
    ["GET", "/queues"],
    ["POST", `/api/v1/queues/${"a".repeat(129)}/messages`],
    ["POST", "/api/v1/topics/orders/messages/"],
    ["POST", "/api/v1/topics/or%64ers/messages"],
    ["GET", "/api/v1/topics/orders/messages/123"], // one message by id: Next's [id] route
    ["POST", "/api/v1/topics/orders/subscriptions"],
  ])("%s %s is left to Next", (method, url) => {
    expect(fastRoute(method, url)).toBeUndefined();
  });

  // Next's routes decide what a path means; the table must know every route that could claim one of
  // its paths. A new route file below these folders fails here until lib/front/fast-paths.ts is
  // reviewed (a static segment, say app/api/v1/queues/dlq/messages, would win over [name] in Next).
  test("the route files under the fast paths' folders are the ones the table knows", () => {
    const routeFiles = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory()
          ? routeFiles(path.join(dir, entry.name))
          : entry.name.startsWith("route.")
            ? [path.join(dir, entry.name)]
            : [],
      );
    expect(routeFiles("app/api/v1/queues").sort()).toEqual([
      "app/api/v1/queues/[name]/dead-letter-sources/route.ts",
      "app/api/v1/queues/[name]/messages/[id]/route.ts", // a message id is digits: never receive or delete
      "app/api/v1/queues/[name]/messages/[id]/visibility/route.ts",
      "app/api/v1/queues/[name]/messages/delete/route.ts",
      "app/api/v1/queues/[name]/messages/receive/route.ts",
      "app/api/v1/queues/[name]/messages/route.ts",
      "app/api/v1/queues/[name]/messages/visibility/route.ts",
      "app/api/v1/queues/[name]/move/route.ts",
      "app/api/v1/queues/[name]/operations/[id]/cancel/route.ts",
      "app/api/v1/queues/[name]/operations/[id]/route.ts",
      "app/api/v1/queues/[name]/operations/route.ts",
      "app/api/v1/queues/[name]/purge/route.ts",
      "app/api/v1/queues/[name]/redrive/route.ts",
      "app/api/v1/queues/[name]/rewind/route.ts",
      "app/api/v1/queues/[name]/route.ts",
      "app/api/v1/queues/route.ts",
    ]);
    expect(routeFiles("app/api/v1/topics").sort()).toEqual([
      "app/api/v1/topics/[name]/messages/[id]/redeliver/route.ts",
      "app/api/v1/topics/[name]/messages/[id]/route.ts", // a message id is digits
      "app/api/v1/topics/[name]/messages/route.ts",
      "app/api/v1/topics/[name]/route-test/route.ts",
      "app/api/v1/topics/[name]/route.ts",
      "app/api/v1/topics/[name]/subscriptions/[sub]/route.ts",
      "app/api/v1/topics/[name]/subscriptions/[sub]/secret/route.ts",
      "app/api/v1/topics/[name]/subscriptions/route.ts",
      "app/api/v1/topics/route.ts",
    ]);
    expect(routeFiles("app/v2")).toEqual(["app/v2/index.php/route.ts"]);
    expect(readdirSync("app").filter((name) => name.startsWith("route."))).toEqual(["route.ts"]);
  });
});
