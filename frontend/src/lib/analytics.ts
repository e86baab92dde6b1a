import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "./api";
import { queryKeys } from "./queryKeys";

export function useMilestoneAnalytics(cohortId?: number) {
  return useQuery({
    queryKey: queryKeys.analytics.milestones(cohortId),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/analytics/milestones", { params: { query: { cohort_id: cohortId } } }),
      ),
  });
}
