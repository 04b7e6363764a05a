"use client";

import { useState } from "react";
import { Button } from "@/components/ui/Button";
import { ConfirmDialog } from "@/components/ui/ConfirmDialog";
import { Dialog } from "@/components/ui/Dialog";
import { EmptyState } from "@/components/ui/EmptyState";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { NoAccess } from "@/components/ui/NoAccess";
import { PageHeader } from "@/components/ui/PageHeader";
import { SecretField } from "@/components/ui/SecretField";
import { Spinner } from "@/components/ui/Spinner";
import { Table } from "@/components/ui/Table";
import { conditionLabel, kindInfo, scopeLabel } from "@/lib/client/alarm-form";
import { useAlarmRules, useDeleteAlarmRule } from "@/lib/client/alarms";
import { formatDateTime } from "@/lib/client/format";
import { useCan } from "@/lib/client/me";
import type { AlarmRule } from "@/lib/schemas/alarm";
import { AlarmHistory } from "./AlarmHistory";
import { AlarmRuleDialog } from "./AlarmRuleDialog";
import { AlarmStateBadge } from "./AlarmStateBadge";

const header = (actions?: React.ReactNode) => (
  <PageHeader
    title="Alarms"
    description="Rules on queue backlogs, message age, dead letters, push and API failures and the database's health. A rule fires when its value stays above the threshold for its duration, and resolves when it drops back."
    actions={actions}
  />
);

const formatValue = (value: number | null) =>
  value === null ? "no data" : Number.isInteger(value) ? String(value) : value.toFixed(2);

type Editing = { rule?: AlarmRule } | null;

/** The Alarms page: rules with their state, create/edit/delete, and the history with filters. */
export function AlarmsPage() {
  const { can, reason, isLoading } = useCan();
  const mayRead = can("monitor:read");
  const mayManage = can("monitor:alarms");
  const rules = useAlarmRules(mayRead);
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<AlarmRule | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [secret, setSecret] = useState<{ rule: string; value: string } | null>(null);

  if (isLoading) {
    return (
      <>
        {header()}
        <div className="card card-padded center">
          <Spinner label="Checking your access…" />
        </div>
      </>
    );
  }
  if (!mayRead) {
    return (
      <>
        {header()}
        <NoAccess title="Alarms are not part of your access" reason={reason("monitor:read")} />
      </>
    );
  }
  const list = rules.data?.rules ?? [];
  return (
    <>
      {header(
        mayManage ? (
          <Button variant="primary" onClick={() => setEditing({})} data-testid="new-alarm">
            New rule
          </Button>
        ) : undefined,
      )}
      {notice && (
        <p className="notice notice-success" role="status" data-testid="alarm-notice">
          {notice}
        </p>
      )}
      <section aria-labelledby="alarm-rules-title" className="alarm-section">
        <h2 id="alarm-rules-title" className="section-title">
          Rules
        </h2>
        {rules.isPending && (
          <div className="card card-padded center">
            <Spinner label="Loading alarm rules…" />
          </div>
        )}
        {rules.isError && !rules.data && (
          <ErrorBox error={rules.error} title="Could not load the alarm rules" onRetry={() => rules.refetch()} />
        )}
        {rules.data && list.length === 0 && (
          <div className="card">
            <EmptyState
              title="No alarm rules yet"
              description="A rule watches one metric, e.g. a queue's backlog over 1,000 messages for 5 minutes, and tells you in the console and by webhook."
              testId="alarms-empty"
            />
          </div>
        )}
        {list.length > 0 && (
          <div className="card">
            <Table
              testId="alarm-rules"
              aria-label="Alarm rules"
              columns={["20%", "22%", "18%", "10%", "14%", "auto"]}
              minWidth={900}
            >
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Watches</th>
                  <th scope="col">Condition</th>
                  <th scope="col">State</th>
                  <th scope="col">Last value</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.map((rule) => (
                  <RuleRow
                    key={rule.id}
                    rule={rule}
                    mayManage={mayManage}
                    onEdit={() => setEditing({ rule })}
                    onDelete={() => setDeleting(rule)}
                  />
                ))}
              </tbody>
            </Table>
          </div>
        )}
      </section>
      <AlarmHistory rules={list} />
      {editing && (
        <AlarmRuleDialog
          rule={editing.rule}
          onClose={(result) => {
            setEditing(null);
            if (!result) return;
            setNotice(result.message);
            if (result.secret) setSecret({ rule: result.name, value: result.secret });
          }}
        />
      )}
      {deleting && (
        <DeleteRuleDialog
          rule={deleting}
          onClose={(message) => {
            setDeleting(null);
            if (message) setNotice(message);
          }}
        />
      )}
      {secret && (
        <Dialog
          open
          title="Webhook signing secret"
          onClose={() => setSecret(null)}
          testId="alarm-secret-dialog"
          footer={
            <Button variant="primary" onClick={() => setSecret(null)}>
              Done
            </Button>
          }
        >
          <p>
            Webhooks of <strong>{secret.rule}</strong> carry <code>X-OpenCMQ-Signature: t=…,v1=…</code>, an HMAC-SHA256
            of <code>t.body</code> with this secret. It is shown once here; whoever manages alarms can read it again
            through the API.
          </p>
          <SecretField label="Secret" value={secret.value} testId="alarm-secret" />
        </Dialog>
      )}
    </>
  );
}

function RuleRow({
  rule,
  mayManage,
  onEdit,
  onDelete,
}: {
  rule: AlarmRule;
  mayManage: boolean;
  onEdit: () => void;
  onDelete: () => void;
}) {
  return (
    <tr data-testid={`alarm-rule-${rule.name}`}>
      <td>
        <strong>{rule.name}</strong>
        {!rule.enabled && <span className="muted small"> (disabled)</span>}
      </td>
      <td>
        {kindInfo[rule.kind].label}
        <div className="muted small mono">{scopeLabel(rule)}</div>
      </td>
      <td>{conditionLabel(rule)}</td>
      <td>
        <AlarmStateBadge state={rule.state} isOff={!rule.enabled} testId="alarm-state" />
        <div className="muted small">since {formatDateTime(rule.stateSince)}</div>
      </td>
      <td>
        <span data-testid="alarm-last-value">{formatValue(rule.lastValue)}</span>
        {rule.lastSubject && <div className="muted small mono">{rule.lastSubject}</div>}
      </td>
      <td className="alarm-actions">
        {mayManage && (
          <>
            <Button size="sm" variant="ghost" onClick={onEdit} aria-label={`Edit ${rule.name}`}>
              Edit
            </Button>
            <Button size="sm" variant="ghost" onClick={onDelete} aria-label={`Delete ${rule.name}`}>
              Delete
            </Button>
          </>
        )}
      </td>
    </tr>
  );
}

/** What deleting does to a rule that is not OK: it resolves (announced by webhook) or goes back to OK. */
function switchedOffNote(rule: AlarmRule): string {
  if (!rule.enabled || rule.state === "ok") return "";
  if (rule.state === "pending") return "It is pending: it goes back to OK, with an entry in the history. ";
  return rule.webhookUrl
    ? "It is firing: it resolves, and its webhook is sent the resolve (signed as before). "
    : "It is firing: it resolves, with an entry in the history. ";
}

function DeleteRuleDialog({ rule, onClose }: { rule: AlarmRule; onClose: (message?: string) => void }) {
  const remove = useDeleteAlarmRule(rule.id);
  return (
    <ConfirmDialog
      open
      testId="delete-alarm-dialog"
      title="Delete alarm rule"
      description={
        <p data-testid="delete-alarm-text">
          <strong>{rule.name}</strong> stops being evaluated. {switchedOffNote(rule)}Its history stays.
        </p>
      }
      confirmLabel="Delete rule"
      isPending={remove.isPending}
      error={remove.error ?? undefined}
      onCancel={() => onClose()}
      onConfirm={() => remove.mutate(undefined, { onSuccess: () => onClose(`Alarm rule ${rule.name} deleted.`) })}
    />
  );
}
