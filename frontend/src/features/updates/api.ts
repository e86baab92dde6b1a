import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap, unwrapPage } from "@/lib/api";
import { invalidateCompany } from "@/lib/companies";
import { queryKeys } from "@/lib/queryKeys";
import type { MilestoneKey, UpdateStatus } from "@/lib/types";

export interface UpdateFilters {
  milestone?: MilestoneKey;
  status?: UpdateStatus;
  page?: number;
  page_size?: number;
}

export function useUpdates(companyId: number, filters: UpdateFilters = {}) {
  return useQuery({
    queryKey: queryKeys.companies.updates(companyId, filters),
    queryFn: () =>
      unwrapPage(
        api.GET("/api/v1/companies/{company_id}/updates", {
          params: { path: { company_id: companyId }, query: filters },
        }),
      ),
  });
}

export function useCreateUpdate(companyId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { body: string; milestone?: MilestoneKey; task_id?: number }) =>
      unwrap(
        api.POST("/api/v1/companies/{company_id}/updates", {
          params: { path: { company_id: companyId } },
          body,
        }),
      ),
    onSuccess: () => invalidateCompany(qc, companyId),
  });
}

export function useReviewUpdate(companyId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({
      updateId,
      approve,
      comment,
    }: {
      updateId: number;
      approve: boolean;
      comment?: string;
    }) => {
      const init = { params: { path: { update_id: updateId } }, body: comment ? { comment } : {} };
      return approve
        ? unwrap(api.POST("/api/v1/updates/{update_id}/approve", init))
        : unwrap(api.POST("/api/v1/updates/{update_id}/reject", init));
    },
    onSuccess: () => invalidateCompany(qc, companyId),
  });
}
