import { redirect } from "next/navigation";
import { getServerSession } from "next-auth";
import type { ReactNode } from "react";
import { AlarmBanner } from "@/components/alarms/AlarmBanner";
import { ConnectionNotice } from "@/components/console/ConnectionNotice";
import { ConsoleHeader } from "@/components/console/ConsoleHeader";
import { SkipLink } from "@/components/console/SkipLink";
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
        <SkipLink targetId="main" />
        <ConsoleHeader email={email} />
        <ConnectionNotice />
        <AlarmBanner />
        {/* tabIndex -1: the skip link's target takes the focus, yet is no Tab stop of its own. */}
        <main id="main" tabIndex={-1} className="console-main">
          {children}
        </main>
      </div>
    </QueryProvider>
  );
}
