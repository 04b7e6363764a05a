import { readdirSync } from "node:fs";
import path from "node:path";
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "./openapi";

// The OpenAPI document is written beside the routes, not derived from them: this keeps the two from
// drifting. Every route file under app/api/v1 is a described path, every described path a route
// file; a method is described exactly when its route serves it, and the methods a route refuses
// answer 405 with an Allow header that names the described ones.

const apiRoot = path.join(process.cwd(), "app/api/v1");
// Route files that are not operations of the API: the catch-all 404 and the document itself.
const notOperations = new Set(["/{...path}", "/openapi.json"]);
const httpMethods = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

type RouteModule = Partial<Record<(typeof httpMethods)[number], (req: NextRequest, ctx: unknown) => Promise<Response>>>;

/** app/api/v1/queues/[name]/route.ts → /queues/{name}, with the file's directory. */
function routePaths() {
  return readdirSync(apiRoot, { recursive: true, encoding: "utf8" })
    .filter((file) => path.basename(file) === "route.ts")
    .map((file) => {
      const segments = path.dirname(file).split(path.sep);
      return { dir: path.dirname(file), path: `/${segments.map((s) => s.replace(/^\[(.+)\]$/, "{$1}")).join("/")}` };
    })
    .filter((route) => !notOperations.has(route.path));
}

const document = buildOpenApiDocument();
const describedMethods = (apiPath: string) =>
  Object.keys((document.paths as Record<string, object>)[apiPath] ?? {})
    .filter((key) => key !== "parameters")
    .map((m) => m.toUpperCase())
    .sort();

/** Calls a handler without credentials: a served method answers 401, a refused one 405. */
async function call(handler: NonNullable<RouteModule["GET"]>, method: string, apiPath: string) {
  const url = `http://localhost/api/v1${apiPath.replace(/\{[^}]+\}/g, "00000000-0000-4000-8000-000000000000")}`;
  const params = Promise.resolve({ name: "q", id: "00000000-0000-4000-8000-000000000000" });
  return handler(new NextRequest(url, { method }), { params });
}

describe("the OpenAPI document describes the routes", () => {
  it("has a path for every route file under app/api/v1, and a route file for every path", () => {
    const routes = routePaths().map((r) => r.path);
    expect(routes.length).toBeGreaterThan(10);
    expect(Object.keys(document.paths).sort()).toEqual(routes.sort());
  });

  it.each(routePaths())("$path: describes exactly the methods its route serves", async ({ dir, path: apiPath }) => {
    const route: RouteModule = await import(/* @vite-ignore */ path.join(apiRoot, dir, "route.ts"));
    const served: string[] = [];
    for (const method of httpMethods) {
      const handler = route[method];
      expect(
        handler,
        `${method} ${apiPath} is exported (else Next answers 405 without the REST error format)`,
      ).toBeDefined();
      if (!handler) continue;
      const response = await call(handler, method, apiPath);
      if (response.status === 405) {
        expect(response.headers.get("allow")?.split(", ").sort(), `Allow of ${method} ${apiPath}`).toEqual(
          describedMethods(apiPath),
        );
        expect((await response.json()).error.code).toBe("METHOD_NOT_ALLOWED");
      } else {
        expect([response.status, (await response.json()).error?.code], `${method} ${apiPath}`).toEqual([
          401,
          "UNAUTHORIZED",
        ]);
        served.push(method);
      }
    }
    expect(served.sort()).toEqual(describedMethods(apiPath));
  });
});
