"use client";

import { OperationProgress } from "@/components/messages/OperationProgress";
import { EmptyState } from "@/components/ui/EmptyState";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { Spinner } from "@/components/ui/Spinner";
import { Table } from "@/components/ui/Table";
import { Timestamp } from "@/components/ui/Timestamp";
import { useOperations } from "@/lib/client/operations";

/** The queue's recent purges, redrives, moves and copies, running ones with live progress. */
export function OperationsPanel({ queueName }: { queueName: string }) {
  const query = useOperations(queueName);
  const operations = query.data?.operations ?? [];
  if (query.isPending) return <Spinner label="Loading operations…" />;
  if (query.isError && !query.data) {
    return <ErrorBox error={query.error} title="Could not load the operations" onRetry={() => query.refetch()} />;
  }
  if (operations.length === 0) {
    return (
      <section className="card">
        <EmptyState
          testId="operations-empty"
          title="No operations yet"
          description="Purges, redrives, moves and copies of this queue's messages appear here with their progress."
        />
      </section>
    );
  }
  return (
    <section className="card" data-testid="operations-panel">
      <div className="card-header card-header-padded">
        <h2 className="card-title">Operations</h2>
      </div>
      <Table aria-label="Operations">
        <thead>
          <tr>
            <th>Started</th>
            <th>Kind</th>
            <th>By</th>
            <th>Target</th>
            <th>Progress</th>
          </tr>
        </thead>
        <tbody>
          {operations.map((operation) => (
            <tr key={operation.id} data-testid="operation-row">
              <td>
                <Timestamp iso={operation.createdAt} />
              </td>
              <td>{operation.kind}</td>
              <td>{operation.createdBy}</td>
              <td>{operation.target ?? "—"}</td>
              <td>
                <OperationProgress queueName={queueName} operation={operation} />
              </td>
            </tr>
          ))}
        </tbody>
      </Table>
    </section>
  );
}
