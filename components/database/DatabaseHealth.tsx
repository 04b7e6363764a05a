"use client";

import "@/components/charts/charts.css";
import { type ReactNode, useState } from "react";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { PageHeader } from "@/components/ui/PageHeader";
import { PermissionGate } from "@/components/ui/PermissionGate";
import { Spinner } from "@/components/ui/Spinner";
import { Table } from "@/components/ui/Table";
import { useDatabaseHealth } from "@/lib/client/database-health";
import { formatBytesReadable, formatDateTime, formatDuration, formatNumber, formatRelative } from "@/lib/client/format";
import { formatPercent } from "@/lib/client/series";
import type { DatabaseHealth as Health, HorizonHolder, TableHealth } from "@/lib/schemas/database-health";

const header = (
  <PageHeader
    title="Database health"
    description="The PostgreSQL signals that come before a slow queue. Figures of the whole installation, from PostgreSQL's statistics."
  />
);

/** The database health page: warnings first, then connections, what holds vacuum back, tables and indexes. */
export function DatabaseHealth() {
  return (
    <PermissionGate
      permission="monitor:database"
      header={header}
      deniedTitle="The database page is not part of your access"
    >
      <HealthPage />
    </PermissionGate>
  );
}

function HealthPage() {
  const query = useDatabaseHealth();
  const { data } = query;
  return (
    <>
      {header}
      {query.isPending && (
        <div className="card card-padded center">
          <Spinner label="Reading the database's statistics…" />
        </div>
      )}
      {query.isError && !data && (
        <ErrorBox error={query.error} title="Could not read the database's health" onRetry={() => query.refetch()} />
      )}
      {query.isError && data && (
        <p className="notice notice-warning" role="status" data-testid="health-stale">
          Refresh failed; this page shows the figures of {formatDateTime(data.at)}.
        </p>
      )}
      {data && <HealthReport health={data} />}
    </>
  );
}

const indexesShown = 15;

function HealthReport({ health }: { health: Health }) {
  const [showAllIndexes, setShowAllIndexes] = useState(false);
  const { connections } = health;
  const usable = Math.max(1, connections.max - connections.reserved);
  const share = connections.used / usable;
  const oldest = health.horizonHolders.find((h) => h.kind !== "slot" && h.ageSeconds !== null);
  return (
    <>
      <div className="health-warnings" data-testid="health-warnings">
        {health.warnings.length === 0 ? (
          <p className="notice notice-success" data-testid="health-ok">
            No warnings: dead rows, open transactions, replication slots, connections and transaction-ID age are within
            their limits.
          </p>
        ) : (
          health.warnings.map((w) => (
            <p key={w.message} className="notice notice-warning" data-testid="health-warning" data-signal={w.signal}>
              {w.message}
            </p>
          ))
        )}
        {!health.isComplete && (
          <p className="notice notice-warning" data-testid="health-incomplete">
            The app's database role may not read other sessions' details (it is not a superuser nor in
            pg_read_all_stats): open transactions of other roles are missing below.
          </p>
        )}
      </div>

      <section className="stats" aria-label="Summary" data-testid="health-tiles">
        <div className="stats-tiles">
          <Tile label="Connections in use" testId="tile-connections">
            {formatNumber(connections.used)} / {formatNumber(usable)}
            <span className={share >= 0.8 ? "meter meter-warn" : "meter"} aria-hidden="true">
              <span style={{ width: `${Math.min(100, share * 100)}%` }} />
            </span>
          </Tile>
          <Tile label="This app opens at most" testId="tile-app-connections">
            {formatNumber(connections.appMax)}
          </Tile>
          <Tile label="Oldest open transaction" testId="tile-oldest-transaction">
            {oldest?.ageSeconds != null ? formatDuration(oldest.ageSeconds) : "none"}
          </Tile>
          <Tile label="Transaction-ID age" testId="tile-xid-age">
            {formatNumber(health.transactionIdAge)}
          </Tile>
          <Tile label="Database size" testId="tile-size">
            {formatBytesReadable(health.databaseBytes)}
          </Tile>
        </div>
        <ul className="stats-note muted small">
          <li>
            Connections: client connections to the server against max_connections ({formatNumber(connections.max)}) less{" "}
            {formatNumber(connections.reserved)} reserved for superusers — when none is left, requests wait and then
            fail. Now:{" "}
            {Object.entries(connections.byState)
              .map(([state, n]) => `${formatNumber(n)} ${state}`)
              .join(", ") || "none"}
            .
          </li>
          <li>
            This app opens at most its processes × pool size, plus one listening connection each: with every other
            client of the server, that must fit in the connections it allows.
          </li>
          <li>
            Transaction-ID age: how many transactions the oldest unfrozen row is behind. PostgreSQL forces a freezing
            vacuum at autovacuum_freeze_max_age ({formatNumber(health.freezeMaxAge)}); this database is at{" "}
            {formatPercent((health.transactionIdAge / health.freezeMaxAge) * 100)} of it.
          </li>
          <li>
            PostgreSQL {health.serverVersion}; read {formatDateTime(health.at)}.
          </li>
        </ul>
      </section>

      <section className="card" aria-labelledby="horizon-title" data-testid="horizon">
        <div className="card-header card-header-padded">
          <h2 className="card-title" id="horizon-title">
            What holds vacuum back
          </h2>
        </div>
        <p className="muted small health-explain">
          Vacuum cannot remove a row deleted after the oldest snapshot still in use: a transaction left open, a prepared
          transaction or a replication slot keeps every newer dead row — and queue tables, which delete all the time,
          grow and slow down. Oldest first; xmin age counts the transactions since.
        </p>
        {health.horizonHolders.length === 0 ? (
          <p className="muted health-explain" data-testid="horizon-empty">
            Nothing: no open transaction or slot holds a snapshot.
          </p>
        ) : (
          <HolderTable holders={health.horizonHolders} />
        )}
      </section>

      <section className="card" aria-labelledby="tables-title" data-testid="tables">
        <div className="card-header card-header-padded">
          <h2 className="card-title" id="tables-title">
            Tables
          </h2>
        </div>
        <p className="muted small health-explain">
          Size on disk (with TOAST) and of all its indexes; live rows; dead rows — deleted or updated row versions
          waiting for vacuum, which every receive of a busy queue must step over; and when vacuum and analyze (which
          keeps the planner's statistics) last ran, by hand or by autovacuum.
        </p>
        <TableList tables={health.tables} />
      </section>

      <section className="card" aria-labelledby="indexes-title" data-testid="indexes">
        <div className="card-header card-header-padded">
          <h2 className="card-title" id="indexes-title">
            Indexes
          </h2>
        </div>
        <p className="muted small health-explain">
          Size of each index and how often it was used since statistics were reset: a large index with no scans costs
          every write and helps no read.
        </p>
        <Table testId="index-table" aria-label="Indexes">
          <thead>
            <tr>
              <th scope="col">Index</th>
              <th scope="col">Table</th>
              <th scope="col" className="num">
                Size
              </th>
              <th scope="col" className="num">
                Scans
              </th>
            </tr>
          </thead>
          <tbody>
            {(showAllIndexes ? health.indexes : health.indexes.slice(0, indexesShown)).map((index) => (
              <tr key={index.name} data-testid="index-row" data-index={index.name}>
                <td className="mono">{index.name}</td>
                <td className="mono">{index.table}</td>
                <td className="num">{formatBytesReadable(index.bytes)}</td>
                <td className="num">{formatNumber(index.scans)}</td>
              </tr>
            ))}
          </tbody>
        </Table>
        {health.indexes.length > indexesShown && (
          <div className="list-footer">
            <button
              type="button"
              className="btn btn-ghost btn-sm"
              aria-expanded={showAllIndexes}
              onClick={() => setShowAllIndexes((shown) => !shown)}
              data-testid="toggle-indexes"
            >
              {showAllIndexes
                ? `Show the ${indexesShown} largest`
                : `Show all ${formatNumber(health.indexes.length)} indexes`}
            </button>
          </div>
        )}
      </section>
    </>
  );
}

function Tile({ label, testId, children }: { label: string; testId: string; children: ReactNode }) {
  return (
    <div className="stat stat-neutral" data-testid={testId}>
      <span className="stat-label">{label}</span>
      <span className="stat-value">{children}</span>
    </div>
  );
}

const kindLabels: Record<HorizonHolder["kind"], string> = {
  transaction: "Session",
  prepared: "Prepared transaction",
  slot: "Replication slot",
};

function HolderTable({ holders }: { holders: HorizonHolder[] }) {
  return (
    <Table testId="horizon-table" aria-label="What holds vacuum back">
      <thead>
        <tr>
          <th scope="col">What</th>
          <th scope="col">Name</th>
          <th scope="col">State</th>
          <th scope="col" className="num">
            xmin age
          </th>
          <th scope="col" className="num">
            Open for
          </th>
          <th scope="col" className="num">
            WAL kept
          </th>
        </tr>
      </thead>
      <tbody>
        {holders.map((h) => (
          <tr key={`${h.kind}:${h.id}`} data-testid="horizon-row" data-kind={h.kind} data-id={h.id}>
            <td>
              {kindLabels[h.kind]} <span className="mono">{h.id}</span>
            </td>
            <td className="mono">{h.label || "—"}</td>
            <td>{h.state}</td>
            <td className="num">{h.xminAge === null ? "—" : formatNumber(h.xminAge)}</td>
            <td className="num">{h.ageSeconds === null ? "—" : formatDuration(h.ageSeconds)}</td>
            <td className="num">{h.retainedWalBytes === null ? "—" : formatBytesReadable(h.retainedWalBytes)}</td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

/** The newer of a manual and an automatic run, and which one it was. */
function lastRun(manual: string | null, auto: string | null) {
  const [at, how] = !auto || (manual && manual > auto) ? [manual, "by hand"] : [auto, "auto"];
  if (!at) return <span className="muted">never</span>;
  return (
    <span title={formatDateTime(at)}>
      {formatRelative(at)} <span className="muted small">({how})</span>
    </span>
  );
}

function TableList({ tables }: { tables: TableHealth[] }) {
  return (
    <Table testId="table-table" aria-label="Tables">
      <thead>
        <tr>
          <th scope="col">Table</th>
          <th scope="col" className="num">
            Size
          </th>
          <th scope="col" className="num">
            Indexes
          </th>
          <th scope="col" className="num">
            Live rows
          </th>
          <th scope="col" className="num">
            Dead rows
          </th>
          <th scope="col">Last vacuum</th>
          <th scope="col">Last analyze</th>
        </tr>
      </thead>
      <tbody>
        {tables.map((t) => (
          <tr key={t.name} data-testid="table-row" data-table={t.name}>
            <td className="mono">{t.name}</td>
            <td className="num">{formatBytesReadable(t.tableBytes)}</td>
            <td className="num">{formatBytesReadable(t.indexBytes)}</td>
            <td className="num" data-testid="live-rows">
              {formatNumber(t.liveRows)}
            </td>
            <td className="num" data-testid="dead-rows">
              {formatNumber(t.deadRows)}
              {t.deadRatio !== null && t.deadRows > 0 && (
                <span className="muted small"> ({formatPercent(t.deadRatio * 100)})</span>
              )}
            </td>
            <td className="nowrap">{lastRun(t.lastVacuum, t.lastAutovacuum)}</td>
            <td className="nowrap">{lastRun(t.lastAnalyze, t.lastAutoanalyze)}</td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
