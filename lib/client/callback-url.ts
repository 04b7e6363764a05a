export const defaultAfterLogin = "/queues";

/**
 * Where to go after signing in: only a path on this site, never another host (an open redirect) and
 * never back to the login page or an API route. Absolute URLs keep their path only.
 */
export function safeCallbackUrl(raw: string | string[] | undefined | null): string {
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value) return defaultAfterLogin;
  try {
    const url = new URL(value, "http://localhost");
    const path = `${url.pathname}${url.search}${url.hash}`;
    if (!path.startsWith("/") || path.startsWith("//") || /^\/(login|api)(\/|$|\?)/.test(path)) {
      return defaultAfterLogin;
    }
    return path;
  } catch {
    return defaultAfterLogin;
  }
}
