"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { Badge, type BadgeTone } from "@/components/ui/Badge";
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
import { useAlarmEvents, useAlarmRules, useDeleteAlarmRule } from "@/lib/client/alarms";
import { formatDateTime } from "@/lib/client/format";
import { useCan } from "@/lib/client/me";
import { type AlarmEvent, type AlarmRule, type AlarmState, alarmStates } from "@/lib/schemas/alarm";
import { AlarmRuleDialog } from "./AlarmRuleDialog";

const header = (actions?: React.ReactNode) => (
  <PageHeader
    title="Alarms"
    description="Rules on queue backlogs, message age, dead letters, push and API failures and the database's health. A rule fires when its value stays above the threshold for its duration, and resolves when it drops back."
    actions={actions}
  />
);

const stateTone: Record<AlarmState, BadgeTone> = { ok: "green", pending: "amber", firing: "red" };
const stateLabel: Record<AlarmState, string> = { ok: "OK", pending: "Pending", firing: "Firing" };

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
          <EmptyState
            title="No alarm rules yet"
            description="A rule watches one metric, e.g. a queue's backlog over 1,000 messages for 5 minutes, and tells you in the console and by webhook."
            testId="alarms-empty"
          />
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
        <Badge tone={rule.enabled ? stateTone[rule.state] : "neutral"} data-testid="alarm-state">
          {rule.enabled ? stateLabel[rule.state] : "Off"}
        </Badge>
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

function DeleteRuleDialog({ rule, onClose }: { rule: AlarmRule; onClose: (message?: string) => void }) {
  const remove = useDeleteAlarmRule(rule.id);
  return (
    <ConfirmDialog
      open
      testId="delete-alarm-dialog"
      title="Delete alarm rule"
      description={
        <p>
          <strong>{rule.name}</strong> stops being evaluated{rule.state === "firing" ? " (no resolve is sent)" : ""}.
          Its history stays.
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

/** The history, newest first; its filters (rule, state) live in the URL. */
function AlarmHistory({ rules }: { rules: AlarmRule[] }) {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const rule = params.get("rule") ?? "";
  const stateParam = params.get("state") ?? "";
  const state = (alarmStates as readonly string[]).includes(stateParam) ? (stateParam as AlarmState) : undefined;
  const beforeParam = params.get("before") ?? "";
  const before = /^\d{1,19}$/.test(beforeParam) ? beforeParam : undefined;
  const events = useAlarmEvents({ rule: rule || undefined, state, before });
  const setFilter = (key: "rule" | "state" | "before", value: string) => {
    const next = new URLSearchParams(params.toString());
    if (value) next.set(key, value);
    else next.delete(key);
    // A new filter starts from the newest events.
    if (key !== "before") next.delete("before");
    const search = next.toString();
    router.replace(`${pathname}${search ? `?${search}` : ""}`, { scroll: false });
  };
  const list = events.data?.events ?? [];
  return (
    <section aria-labelledby="alarm-history-title" className="alarm-section">
      <h2 id="alarm-history-title" className="section-title">
        History
      </h2>
      <div className="alarm-filters">
        <div className="field">
          <label className="field-label" htmlFor="history-rule">
            Rule
          </label>
          <select
            id="history-rule"
            className="select"
            value={rule}
            onChange={(e) => setFilter("rule", e.target.value)}
            data-testid="history-rule"
          >
            <option value="">All rules</option>
            {rules.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label className="field-label" htmlFor="history-state">
            Became
          </label>
          <select
            id="history-state"
            className="select"
            value={state ?? ""}
            onChange={(e) => setFilter("state", e.target.value)}
            data-testid="history-state"
          >
            <option value="">Any state</option>
            {alarmStates.map((s) => (
              <option key={s} value={s}>
                {stateLabel[s]}
              </option>
            ))}
          </select>
        </div>
      </div>
      {events.isError && !events.data && (
        <ErrorBox error={events.error} title="Could not load the alarm history" onRetry={() => events.refetch()} />
      )}
      {events.data && list.length === 0 && (
        <p className="muted" data-testid="history-empty">
          No state changes{rule || state ? " match these filters" : " yet"}.
        </p>
      )}
      {list.length > 0 && (
        <div className="card">
          <Table
            testId="alarm-history"
            aria-label="Alarm history"
            columns={["17%", "15%", "13%", "auto", "16%"]}
            minWidth={900}
          >
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Rule</th>
                <th scope="col">Change</th>
                <th scope="col">What was seen</th>
                <th scope="col">Webhook</th>
              </tr>
            </thead>
            <tbody>
              {list.map((event) => (
                <EventRow key={event.id} event={event} />
              ))}
            </tbody>
          </Table>
        </div>
      )}
      {(before || events.data?.nextBefore) && (
        <div className="form-actions form-actions-start">
          {before && (
            <Button size="sm" onClick={() => setFilter("before", "")} data-testid="history-newest">
              Newest
            </Button>
          )}
          {events.data?.nextBefore && (
            <Button
              size="sm"
              onClick={() => setFilter("before", events.data?.nextBefore ?? "")}
              data-testid="history-older"
            >
              Older
            </Button>
          )}
        </div>
      )}
    </section>
  );
}

function EventRow({ event }: { event: AlarmEvent }) {
  const last = event.attempts[event.attempts.length - 1];
  return (
    <tr data-testid="alarm-event" data-transition={`${event.fromState}-${event.toState}`}>
      <td>{formatDateTime(event.at)}</td>
      <td>{event.ruleName}</td>
      <td>
        {stateLabel[event.fromState]} → <Badge tone={stateTone[event.toState]}>{stateLabel[event.toState]}</Badge>
      </td>
      <td data-testid="alarm-event-message">{event.message}</td>
      <td>
        {event.notifyStatus === "none"
          ? "—"
          : `${event.notifyStatus}${event.attempts.length > 0 ? ` (${event.attempts.length} ${event.attempts.length === 1 ? "attempt" : "attempts"}${last ? `, last ${last.httpStatus ?? last.error ?? "no answer"}` : ""})` : ""}`}
      </td>
    </tr>
  );
}
