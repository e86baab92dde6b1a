import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { components } from "@/api/schema";
import { api, unwrap, unwrapPage } from "@/lib/api";
import { queryKeys } from "@/lib/queryKeys";
import type { Complete } from "@/lib/types";

type Schemas = components["schemas"];
export type Webhook = Complete<Schemas["Webhook"]>;
export type CreatedWebhook = Complete<Schemas["WebhookCreated"]>;
export type Delivery = Complete<Schemas["Delivery"]>;

export const EVENT_TYPES = [
  { value: "milestone.achieved", label: "Milestone achieved" },
  { value: "milestone.reverted", label: "Milestone reverted" },
  { value: "evidence.added", label: "Evidence added" },
  { value: "task.approved", label: "Task approved" },
  { value: "update.approved", label: "Update approved" },
] as const;
export type EventType = (typeof EVENT_TYPES)[number]["value"];

export function useWebhooks() {
  return useQuery({
    queryKey: queryKeys.webhooks.list(),
    queryFn: () => unwrap(api.GET("/api/v1/webhooks")),
  });
}

export function useCreateWebhook() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { url: string; events: EventType[]; description: string }) =>
      unwrap(api.POST("/api/v1/webhooks", { body })),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.webhooks.all() }),
  });
}

export function usePatchWebhook() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: { id: number; active?: boolean; events?: EventType[] }) =>
      unwrap(
        api.PATCH("/api/v1/webhooks/{webhook_id}", { params: { path: { webhook_id: id } }, body }),
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.webhooks.all() }),
  });
}

export function useDeleteWebhook() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) =>
      unwrap(api.DELETE("/api/v1/webhooks/{webhook_id}", { params: { path: { webhook_id: id } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.webhooks.all() }),
  });
}

export function useDeliveries(id: number, page: number) {
  return useQuery({
    queryKey: queryKeys.webhooks.deliveries(id, page),
    queryFn: () =>
      unwrapPage(
        api.GET("/api/v1/webhooks/{webhook_id}/deliveries", {
          params: { path: { webhook_id: id }, query: { page, page_size: 20 } },
        }),
      ),
  });
}

export function usePing(id: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/v1/webhooks/{webhook_id}/ping", { params: { path: { webhook_id: id } } }),
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.webhooks.detail(id) }),
  });
}

export function useRedeliver(id: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (deliveryId: number) =>
      unwrap(
        api.POST("/api/v1/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver", {
          params: { path: { webhook_id: id, delivery_id: deliveryId } },
        }),
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.webhooks.detail(id) }),
  });
}
