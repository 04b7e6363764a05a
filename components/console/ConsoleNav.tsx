"use client";

import { useCan } from "@/lib/client/me";
import { NavLink } from "./NavLink";

/**
 * The main nav, the watching pages first (overview, queues, topics, alarms, database), then the
 * account's administration; pages the caller's access does not reach are not offered.
 */
export function ConsoleNav() {
  const { can } = useCan();
  return (
    <nav className="console-nav" aria-label="Main" data-testid="console-nav">
      {can("monitor:read") && <NavLink href="/overview">Overview</NavLink>}
      <NavLink href="/queues">Queues</NavLink>
      {can("topic:ListTopic") && <NavLink href="/topics">Topics</NavLink>}
      {can("monitor:read") && <NavLink href="/alarms">Alarms</NavLink>}
      {can("monitor:database") && <NavLink href="/database">Database</NavLink>}
      {can("user:read") && <NavLink href="/access/users">Users</NavLink>}
      {(can("apikey:own") || can("apikey:read")) && <NavLink href="/access/keys">API keys</NavLink>}
      {can("audit:read") && <NavLink href="/access/audit">Audit log</NavLink>}
    </nav>
  );
}
