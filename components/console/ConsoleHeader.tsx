import Link from "next/link";
import { ConsoleNav } from "./ConsoleNav";
import { HeaderMenu } from "./HeaderMenu";
import { PollingControl } from "./PollingControl";
import { SignOutButton } from "./SignOutButton";
import { ThemeControl } from "./ThemeControl";

export function ConsoleHeader({ email }: { email: string }) {
  return (
    <header className="console-header">
      <div className="console-header-inner">
        <Link href="/queues" className="brand" aria-label="OpenCMQ home">
          <span className="brand-mark" aria-hidden="true">
            <span />
            <span />
            <span />
          </span>
          OpenCMQ
        </Link>
        <HeaderMenu>
          <ConsoleNav />
          <div className="console-header-end">
            <PollingControl />
            <ThemeControl />
            <Link href="/account" className="user-email" data-testid="user-email" title={`${email} · your account`}>
              {email}
            </Link>
            <SignOutButton />
          </div>
        </HeaderMenu>
      </div>
    </header>
  );
}
