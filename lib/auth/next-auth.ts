import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { isHashingBusy } from "@/lib/auth/passwords";
import { clientAddress } from "@/lib/http/client-address";
import { verifyLogin } from "@/lib/services/accounts";

/** The error a login refused for lack of a password-hashing slot reports (the route answers 429). */
export const loginBusyError = "TooManyLogins";

// Console sessions: email + password, a signed JWT in an HttpOnly, SameSite=Lax cookie.
export const authOptions: NextAuthOptions = {
  secret: process.env.NEXTAUTH_SECRET,
  session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
  pages: { signIn: "/login" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, req) {
        if (!credentials?.email || !credentials.password) return null;
        const header = (name: string) => {
          const value = req?.headers?.[name];
          return Array.isArray(value) ? value[0] : value;
        };
        const user = await verifyLogin(credentials.email, credentials.password, {
          ip: clientAddress(req?.headers ?? {}),
          userAgent: header("user-agent")?.slice(0, 200),
        }).catch((error) => {
          throw isHashingBusy(error) ? new Error(loginBusyError) : error;
        });
        return user ? { id: user.id, email: user.email, name: user.name, accountId: user.accountId } : null;
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user) {
        token.userId = user.id;
        token.accountId = (user as { accountId?: string }).accountId;
      }
      return token;
    },
    session({ session, token }) {
      return { ...session, userId: token.userId, accountId: token.accountId };
    },
  },
};
