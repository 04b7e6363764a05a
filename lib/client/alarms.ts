import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  type AlarmState,
  alarmEventListSchema,
  alarmRuleListSchema,
  type CreateAlarmRuleInput,
  createdAlarmRuleSchema,
  type UpdateAlarmRuleInput,
} from "@/lib/schemas/alarm";
import { apiFetch } from "./api-client";
import { useRefetchInterval } from "./polling";

// One hook per endpoint of /api/v1/alarms…; every answer parsed with lib/schemas/alarm.ts.

/** `from`/`to`: ISO instants (`to` exclusive), as the API takes them. */
export type AlarmEventParams = { rule?: string; state?: AlarmState; from?: string; to?: string; before?: string };

export const alarmKeys = {
  all: ["alarms"] as const,
  rules: (state?: AlarmState) => [...alarmKeys.all, "rules", state ?? "all"] as const,
  events: (params: AlarmEventParams) => [...alarmKeys.all, "events", params] as const,
};

// GET /api/v1/alarms — the rules and their state, refreshed with the console's polling setting. The
// banner's query (`isBackground`) is the header's, not the page's: it does not make a page "live".
export function useAlarmRules(isEnabled = true, state?: AlarmState, isBackground = false) {
  const refetchInterval = useRefetchInterval();
  return useQuery({
    enabled: isEnabled,
    meta: { isBackground },
    queryKey: alarmKeys.rules(state),
    queryFn: ({ signal }) => apiFetch("/alarms", { query: { state }, signal, response: alarmRuleListSchema }),
    refetchInterval,
  });
}

// GET /api/v1/alarms/events — the history, newest first
export function useAlarmEvents(params: AlarmEventParams, isEnabled = true) {
  const refetchInterval = useRefetchInterval();
  return useQuery({
    enabled: isEnabled,
    queryKey: alarmKeys.events(params),
    queryFn: ({ signal }) =>
      apiFetch("/alarms/events", { query: { ...params, limit: 50 }, signal, response: alarmEventListSchema }),
    placeholderData: keepPreviousData,
    refetchInterval,
  });
}

function useRefreshAlarms() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: alarmKeys.all });
}

// POST /api/v1/alarms
export function useCreateAlarmRule() {
  const refresh = useRefreshAlarms();
  return useMutation({
    mutationFn: (input: CreateAlarmRuleInput) =>
      apiFetch("/alarms", { method: "POST", body: input, response: createdAlarmRuleSchema }),
    onSuccess: refresh,
  });
}

// PATCH /api/v1/alarms/{id}
export function useUpdateAlarmRule(id: string) {
  const refresh = useRefreshAlarms();
  return useMutation({
    mutationFn: (input: UpdateAlarmRuleInput) =>
      apiFetch(`/alarms/${encodeURIComponent(id)}`, { method: "PATCH", body: input, response: createdAlarmRuleSchema }),
    onSuccess: refresh,
  });
}

// DELETE /api/v1/alarms/{id}
export function useDeleteAlarmRule(id: string) {
  const refresh = useRefreshAlarms();
  return useMutation({
    mutationFn: () => apiFetch(`/alarms/${encodeURIComponent(id)}`, { method: "DELETE" }),
    onSuccess: refresh,
  });
}
