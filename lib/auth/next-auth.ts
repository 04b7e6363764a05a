import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { isText } from "@/lib/schemas/text";
import { verifyLogin } from "@/lib/services/accounts";

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
        // NUL would reach the user lookup's SQL as an error, whose text next-auth puts in its redirect.
        if (!isText(credentials.email) || !isText(credentials.password)) return null;
        const header = (name: string) => {
          const value = req?.headers?.[name];
          return Array.isArray(value) ? value[0] : value;
        };
        const user = await verifyLogin(credentials.email, credentials.password, {
          ip: header("x-forwarded-for")?.split(",")[0]?.trim() || header("x-real-ip"),
          userAgent: header("user-agent")?.slice(0, 200),
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
