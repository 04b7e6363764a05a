import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/next-auth";
import { withAuthLimits } from "@/lib/auth/next-auth-route";

// GET|POST /api/auth/* — next-auth's sign-in, sign-out, session and CSRF endpoints
const handler = withAuthLimits(NextAuth(authOptions));

export { handler as GET, handler as POST };
