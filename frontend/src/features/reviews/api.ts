import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { components } from "@/api/schema";
import { api, unwrap, unwrapPage } from "@/lib/api";
import { queryKeys } from "@/lib/queryKeys";
import type { Complete } from "@/lib/types";

type Schemas = components["schemas"];
export type PendingItem = Complete<Schemas["PendingItem"]>;
export type ReviewResult = Complete<Schemas["ReviewResult"]>;
export type ReviewKind = PendingItem["kind"];
export type Decision = "approve" | "reject";

/** One key per item across kinds: a task and an update may share an id. */
export function itemKey(item: { kind: string; id: number }): string {
  return `${item.kind}:${item.id}`;
}

export function usePendingReviews(page = 1) {
  return useQuery({
    queryKey: queryKeys.reviews.pending(page),
    queryFn: () =>
      unwrapPage(
        api.GET("/api/v1/reviews/pending", { params: { query: { page, page_size: 100 } } }),
      ),
  });
}

export function useBulkReview() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: {
      decision: Decision;
      comment?: string;
      items: { kind: ReviewKind; id: number }[];
    }) => unwrap(api.POST("/api/v1/reviews", { body })),
    onSuccess: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: queryKeys.reviews.all() }),
        qc.invalidateQueries({ queryKey: queryKeys.companies.all() }),
        qc.invalidateQueries({ queryKey: queryKeys.portfolio.all() }),
        qc.invalidateQueries({ queryKey: queryKeys.analytics.all() }),
        qc.invalidateQueries({ queryKey: queryKeys.activity.all() }),
      ]),
  });
}
