import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { isHashingBusy } from "@/lib/auth/passwords";
import { settings } from "@/lib/config";
import { clientAddress } from "@/lib/http/client-address";
import { isText } from "@/lib/schemas/text";
import { endSessions, LoginLockedError, verifyLogin } from "@/lib/services/accounts";
import { loadSessionUser } from "./access";

/** The error a login refused for lack of a password-hashing slot reports (the route answers 429). */
export const loginBusyError = "TooManyLogins";
/** The refusal of a locked email, with the minutes left: "SignInLocked-3" (next-auth passes it to the form). */
export const loginLockedError = "SignInLocked";

// Console sessions: email + password, a signed JWT in an HttpOnly, SameSite=Lax cookie. The JWT
// carries the user's session generation; a password change, sign-out, role change or disabling
// bumps it, which ends every session issued before (checked on each request: lib/api/authenticate.ts
// for the APIs, the jwt callback below for pages).
export const authOptions: NextAuthOptions = {
  // Read when next-auth asks, not at import: a starter may fill it in later (lib/config.ts).
  get secret() {
    return settings().nextAuthSecret;
  },
  session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
  pages: { signIn: "/login" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, req) {
        if (!credentials?.email || !credentials.password) return null;
        // NUL would reach the user lookup's SQL as an error, whose text next-auth puts in its redirect.
        if (!isText(credentials.email) || !isText(credentials.password)) return null;
        const header = (name: string) => {
          const value = req?.headers?.[name];
          return Array.isArray(value) ? value[0] : value;
        };
        const user = await verifyLogin({
          email: credentials.email,
          password: credentials.password,
          source: { ip: clientAddress(req?.headers ?? {}), userAgent: header("user-agent")?.slice(0, 200) },
        }).catch((error) => {
          if (error instanceof LoginLockedError) {
            throw new Error(`${loginLockedError}-${Math.ceil(error.retryAfterSeconds / 60)}`);
          }
          throw isHashingBusy(error) ? new Error(loginBusyError) : error;
        });
        return user
          ? {
              id: user.id,
              email: user.email,
              name: user.name,
              accountId: user.accountId,
              sessionGeneration: user.sessionGeneration,
            }
          : null;
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      if (user) {
        const signedIn = user as { accountId?: string; sessionGeneration?: number };
        token.userId = user.id;
        token.accountId = signedIn.accountId;
        token.sessionGeneration = signedIn.sessionGeneration ?? 0;
        return token;
      }
      // An ended session keeps no identity, so pages treat it as signed out.
      const isCurrent = token.userId && (await loadSessionUser(String(token.userId), token.sessionGeneration));
      return isCurrent ? token : {};
    },
    session({ session, token }) {
      if (!token.userId) return { expires: session.expires };
      return { ...session, userId: token.userId, accountId: token.accountId };
    },
  },
  events: {
    // Signing out ends the user's sessions everywhere, so a copied cookie dies with it.
    async signOut({ token }) {
      if (token?.userId) await endSessions(String(token.userId), Number(token.sessionGeneration ?? 0));
    },
  },
};
