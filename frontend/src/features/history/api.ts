import { useQuery } from "@tanstack/react-query";
import { api, unwrapPage } from "@/lib/api";
import { queryKeys } from "@/lib/queryKeys";
import type { MilestoneKey } from "@/lib/types";

export function useHistory(
  companyId: number,
  filters: { milestone?: MilestoneKey; page?: number; page_size?: number },
) {
  return useQuery({
    queryKey: queryKeys.companies.history(companyId, filters),
    queryFn: () =>
      unwrapPage(
        api.GET("/api/v1/companies/{company_id}/history", {
          params: { path: { company_id: companyId }, query: filters },
        }),
      ),
  });
}
