import Link from "next/link";
import { NavLink } from "./NavLink";
import { PollingControl } from "./PollingControl";
import { SignOutButton } from "./SignOutButton";

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
        <nav className="console-nav" aria-label="Main">
          <NavLink href="/queues">Queues</NavLink>
        </nav>
        <div className="console-header-end">
          <PollingControl />
          <span className="user-email" data-testid="user-email" title={email}>
            {email}
          </span>
          <SignOutButton />
        </div>
      </div>
    </header>
  );
}
