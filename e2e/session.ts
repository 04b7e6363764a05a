import type { APIRequest, APIRequestContext } from "@playwright/test";

/** Signs in through next-auth's credentials endpoint; the returned context carries the session cookie. */
export async function signIn(request: APIRequest, baseURL: string, email: string, password: string) {
  const context = await request.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL } });
  const { csrfToken } = await (await context.get("/api/auth/csrf")).json();
  const response = await context.post("/api/auth/callback/credentials", {
    form: { csrfToken, email, password, json: "true", callbackUrl: `${baseURL}/queues` },
    maxRedirects: 0,
  });
  const state = await context.storageState();
  const isSignedIn = state.cookies.some((c) => c.name.endsWith("next-auth.session-token"));
  return { context, response, isSignedIn };
}

export async function sessionCookie(context: APIRequestContext) {
  return (await context.storageState()).cookies.find((c) => c.name.endsWith("next-auth.session-token"));
}
