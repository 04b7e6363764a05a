"use client";

import { type FormEvent, useState } from "react";
import { Badge } from "@/components/ui/Badge";
import { Button } from "@/components/ui/Button";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { Table } from "@/components/ui/Table";
import { TextField } from "@/components/ui/TextField";
import { useRouteTest } from "@/lib/client/topics";
import { type PublishFormErrors, validateRouteTestForm } from "@/lib/client/topics-publish-form";
import { routeTestRows, routeTestSummary } from "@/lib/client/topics-routing";
import type { RouteTestInput, Topic } from "@/lib/schemas/topic";

/**
 * Which subscriptions a message with these tags / this routing key would reach, and why — asked of
 * the server, which answers with the same matching a publish uses. Nothing is published.
 */
export function RoutingTester({ topic }: { topic: Topic }) {
  const routeTest = useRouteTest(topic.name);
  const [values, setValues] = useState({ tags: "", routingKey: "" });
  const [errors, setErrors] = useState<PublishFormErrors>({});
  const [asked, setAsked] = useState<RouteTestInput | null>(null);
  const isTag = topic.filterType === "tag";

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const checked = validateRouteTestForm(values, topic.filterType);
    if (!checked.ok) return setErrors(checked.errors);
    setErrors({});
    routeTest.mutate(checked.input, { onSuccess: () => setAsked(checked.input) });
  };

  const rows = routeTest.data ? routeTestRows(routeTest.data) : null;

  return (
    <section className="card" data-testid="routing-tester">
      <div className="card-header card-header-padded">
        <div>
          <h2 className="card-title">Routing tester</h2>
          <p className="muted small">
            {isTag
              ? "Enter a message's tags to see which subscriptions would receive it and why. Nothing is published."
              : "Enter a routing key to see which subscriptions' binding keys match it and why. Nothing is published."}
          </p>
        </div>
      </div>
      <form className="card-toolbar route-test-form" onSubmit={onSubmit} noValidate data-testid="route-test-form">
        {isTag ? (
          <TextField
            id="route-test-tags"
            label="Message tags"
            hint="Comma-separated; empty = a message without tags"
            error={errors.tags}
            value={values.tags}
            onChange={(value) => setValues((v) => ({ ...v, tags: value }))}
            placeholder="billing, eu"
            testId="route-test-tags"
          />
        ) : (
          <TextField
            id="route-test-key"
            label="Routing key"
            hint="e.g. order.eu.paid"
            error={errors.routingKey}
            value={values.routingKey}
            onChange={(value) => setValues((v) => ({ ...v, routingKey: value }))}
            placeholder="order.eu.paid"
            testId="route-test-key"
            isCode
          />
        )}
        <Button type="submit" variant="primary" isPending={routeTest.isPending} data-testid="route-test-submit">
          Test routing
        </Button>
      </form>
      {routeTest.isError && <ErrorBox error={routeTest.error} title="The routing test did not run" />}
      {rows && asked && (
        <>
          <p className="route-test-summary" role="status" data-testid="route-test-summary">
            {routeTestSummary(rows, asked)}
          </p>
          {rows.length > 0 && (
            <Table testId="route-test-table" aria-label="Routing test result">
              <thead>
                <tr>
                  <th>Subscription</th>
                  <th>Receives it</th>
                  <th>Why</th>
                  <th>Endpoint</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr
                    key={row.subscription}
                    data-testid="route-test-row"
                    data-subscription={row.subscription}
                    data-matched={row.isMatched}
                  >
                    <td className="nowrap">
                      <strong>{row.subscription}</strong>
                    </td>
                    <td>
                      <Badge tone={row.tone} data-testid="route-test-verdict">
                        {row.verdict}
                      </Badge>
                    </td>
                    <td className="route-test-reason" data-testid="route-test-reason">
                      {row.reason}
                      {row.matchedBy && (
                        <>
                          {" "}
                          <span className="tag mono" title="the filter tag or binding key that decided">
                            {row.matchedBy}
                          </span>
                        </>
                      )}
                    </td>
                    <td className="subscription-endpoint">
                      <span className={row.protocol === "http" ? "mono" : undefined}>{row.target}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </>
      )}
    </section>
  );
}
