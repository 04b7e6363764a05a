import { redirect } from "next/navigation";
import { getServerSession } from "next-auth";
import type { ReactNode } from "react";
import { ConnectionNotice } from "@/components/console/ConnectionNotice";
import { ConsoleHeader } from "@/components/console/ConsoleHeader";
import { QueryProvider } from "@/components/QueryProvider";
import { authOptions } from "@/lib/auth/next-auth";

// The authority on who may see the console. proxy.ts redirects earlier and remembers the page asked
// for; this check also covers any console page its matcher does not list.
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const session = await getServerSession(authOptions);
  const email = session?.user?.email;
  if (!email) redirect("/login");

  return (
    <QueryProvider>
      <div className="console">
        <ConsoleHeader email={email} />
        <ConnectionNotice />
        <main className="console-main">{children}</main>
      </div>
    </QueryProvider>
  );
}
