import http from "node:http";
import { startAppServer, stopAppServer } from "../app-server";
import { expect, test } from "../fixtures";
import { signIn } from "./console";

// Without NEXTAUTH_URL (npm start's default), every redirect keeps the user on the host they typed:
// the service reached as 127.0.0.1, or under a name, never bounces the browser to localhost.

test.describe.configure({ mode: "serial" }); // one server for the file

const port = Number(process.env.E2E_PORT ?? 3100) + 89;
let app: Awaited<ReturnType<typeof startAppServer>> | undefined;

test.beforeAll(async () => {
  app = await startAppServer(port, { env: { NEXTAUTH_URL: undefined } });
  await app.ready;
});
test.afterAll(async () => {
  if (app) await stopAppServer(app.server);
});

test("the bare URL, the login and the sign-in land on the host the browser used", async ({ page, owner }) => {
  const base = `http://127.0.0.1:${port}`;
  await page.goto(`${base}/`);
  await expect(page).toHaveURL(`${base}/login?callbackUrl=%2Fqueues`);
  await signIn(page, owner);
  await expect(page).toHaveURL(`${base}/queues`);
  await expect(page.getByRole("heading", { name: "Queues" })).toBeVisible();
});

test("redirects name the requested host, not the server's own", async () => {
  // node:http, because fetch may not set Host.
  const asked = (path: string) =>
    new Promise<http.IncomingMessage>((resolve, reject) => {
      const request = http.get({ port, path, host: "127.0.0.1", headers: { host: `queue.example:${port}` } }, resolve);
      request.on("error", reject);
    });
  const bare = await asked("/");
  expect(bare.statusCode).toBe(307);
  expect(bare.headers.location).toBe("/queues");
  const signInPage = await asked("/api/auth/signin");
  expect(signInPage.statusCode).toBe(302);
  // next-auth's own redirect: same-origin, so relative, and its callbackUrl names the requested host.
  expect(signInPage.headers.location).toBe(`/login?callbackUrl=${encodeURIComponent(`http://queue.example:${port}`)}`);
});
